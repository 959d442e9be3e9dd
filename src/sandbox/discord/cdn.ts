import { type APIAttachment } from 'discord-api-types/v10';
import express, { type Router } from 'express';
import { snowflake } from './snowflake';

/** A file a member attaches to a message. */
export interface FakeFile {
  filename: string;
  contentType: string;
  content: Buffer | string;
}

interface StoredFile {
  channelId: string;
  filename: string;
  contentType: string;
  content: Buffer;
  expired: boolean;
}

/**
 * The fake's stand-in for Discord's CDN: files members attach are served at
 * `/attachments/<channel>/<attachment>/<name>`, the shape of Discord's URLs, until `expire` makes them 404 the way
 * Discord's signed links stop working after about a day.
 */
export class FakeCdn {
  private readonly files = new Map<string, StoredFile>();
  /** Every download, for tests that check what was fetched. */
  readonly downloads: { attachmentId: string; status: number }[] = [];

  /** Stores the file and returns the attachment object Discord puts on the message. */
  store(baseUrl: string, channelId: string, file: FakeFile): APIAttachment {
    const id = snowflake();
    const content = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content);
    this.files.set(id, {
      channelId,
      filename: file.filename,
      contentType: file.contentType,
      content,
      expired: false,
    });
    const url = `${baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
    return {
      id,
      filename: file.filename,
      size: content.length,
      url,
      proxy_url: url,
      content_type: file.contentType,
    };
  }

  /** The link stops working, as Discord's do. */
  expire(attachmentId: string): void {
    const file = this.files.get(attachmentId);
    if (file) file.expired = true;
  }

  router(): Router {
    const router = express.Router();
    router.get('/attachments/:channelId/:attachmentId/:filename', (req, res) => {
      const file = this.files.get(String(req.params.attachmentId));
      const ok = file && !file.expired && file.channelId === req.params.channelId;
      this.downloads.push({ attachmentId: String(req.params.attachmentId), status: ok ? 200 : 404 });
      if (!ok) return void res.status(404).type('text/plain').send('This content is no longer available.');
      res.status(200).type(file.contentType).send(file.content);
    });
    return router;
  }
}
