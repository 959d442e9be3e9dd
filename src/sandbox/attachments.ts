import fs from 'node:fs';
import path from 'node:path';
import { snowflake } from './discord/snowflake';

/** A file a sandbox user attaches, as the playground uploads it. */
export interface Upload {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface SavedAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
}

/** Only the file's own name, in characters any file system and URL take. */
export function safeFilename(name: string): string {
  const base = path
    .basename(name)
    .replace(/[^\w.-]+/g, '_')
    .replace(/^\.+/, '');
  return base.slice(0, 100) || 'file';
}

/**
 * The sandbox's stand-in for Discord's CDN: files members attach are kept under `<sandbox>/attachments/` and served
 * by the playground server at `/sandbox/cdn/attachments/<channel>/<id>/<name>`, the same shape as Discord's URLs.
 */
export class AttachmentStore {
  constructor(
    private readonly dir: string,
    private readonly publicBaseUrl: string,
  ) {}

  save(channelId: string, upload: Upload): SavedAttachment {
    const id = snowflake();
    const filename = safeFilename(upload.filename);
    const file = path.join(this.dir, channelId, id, filename);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, upload.content);
    const url = `${this.publicBaseUrl}/sandbox/cdn/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    return {
      id,
      filename,
      size: upload.content.length,
      url,
      proxy_url: url,
      content_type: upload.contentType,
    };
  }

  /** The stored file for a CDN path, or undefined (never a path outside the folder). */
  file(channelId: string, id: string, filename: string): string | undefined {
    if (![channelId, id].every((part) => /^\d+$/.test(part))) return undefined;
    const file = path.join(this.dir, channelId, id, safeFilename(filename));
    return fs.existsSync(file) ? file : undefined;
  }
}
