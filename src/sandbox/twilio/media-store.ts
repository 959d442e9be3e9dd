import { randomBytes } from 'node:crypto';
import { iso } from './model';
import { newSid } from './sids';

/*
 * Media Content Service (MCS) for the fake. Twilio's OpenAPI specs (vendor/specs) do not cover MCS, so the
 * Media resource JSON follows Twilio's documented shape instead
 * (https://www.twilio.com/docs/conversations/api/media-resource: sid, account_sid, service_sid, channel_sid,
 * message_sid, size, content_type, filename, author, category, url, links.content and
 * links.content_direct_temporary), and the webhook's `Media` parameter follows what Conversations sends for a
 * media message: a JSON array of {Sid, Filename, ContentType, Size, Category}.
 */

/** A file an agent attaches in Flex. */
export interface MediaUpload {
  filename: string;
  contentType: string;
  content: Buffer | string;
}

export interface StoredMedia {
  sid: string;
  serviceSid: string;
  /** Null until a message uses an uploaded file (agents' files are attached as they are sent). */
  conversationSid: string | null;
  messageSid: string | null;
  author: string;
  filename: string;
  contentType: string;
  content: Buffer;
  createdAt: Date;
}

/** How long a direct URL works; Twilio's are short-lived too, which is why flexcord asks per click. */
const DIRECT_URL_TTL_MS = 5 * 60 * 1000;

export const MCS_PRODUCT = 'mcs.us1';
/** Where the fake serves pre-signed media content (Twilio serves it from its own media host). */
export const DIRECT_CONTENT_PRODUCT = 'media.us1';

export class MediaStore {
  readonly media = new Map<string, StoredMedia>();
  /** Pre-signed direct-content tokens handed out, by token: which media and until when. */
  private readonly directTokens = new Map<string, { mediaSid: string; expiresAt: number }>();

  add(
    upload: MediaUpload,
    owner: Pick<StoredMedia, 'serviceSid' | 'conversationSid' | 'messageSid' | 'author'>,
  ): StoredMedia {
    const stored: StoredMedia = {
      ...owner,
      sid: newSid('ME'),
      filename: upload.filename,
      contentType: upload.contentType,
      content: Buffer.isBuffer(upload.content) ? upload.content : Buffer.from(upload.content),
      createdAt: new Date(),
    };
    this.media.set(stored.sid, stored);
    return stored;
  }

  /**
   * `POST /v1/Services/{serviceSid}/Media`: a file uploaded through the REST API, not yet on any message (Twilio
   * removes such an upload after a few minutes unless a message uses it).
   */
  upload(serviceSid: string, upload: MediaUpload, author: string): StoredMedia {
    const stored: StoredMedia = {
      sid: newSid('ME'),
      serviceSid,
      conversationSid: null,
      messageSid: null,
      author,
      filename: upload.filename,
      contentType: upload.contentType,
      content: Buffer.isBuffer(upload.content) ? upload.content : Buffer.from(upload.content),
      createdAt: new Date(),
    };
    this.media.set(stored.sid, stored);
    return stored;
  }

  /** An uploaded file becomes the media of a message: once, and only in its own service. */
  attach(
    mediaSid: string,
    owner: { serviceSid: string; conversationSid: string; messageSid: string },
  ): string | undefined {
    const media = this.media.get(mediaSid);
    if (!media || media.serviceSid !== owner.serviceSid) return `Media ${mediaSid} was not found`;
    if (media.messageSid !== null) return `Media ${mediaSid} is already attached to a message`;
    media.conversationSid = owner.conversationSid;
    media.messageSid = owner.messageSid;
    return undefined;
  }

  /** The webhook's `Media` parameter for a message's files. */
  static webhookParam(files: StoredMedia[]): string {
    return JSON.stringify(
      files.map((m) => ({
        Sid: m.sid,
        Filename: m.filename,
        ContentType: m.contentType,
        Size: m.content.length,
        Category: 'media',
      })),
    );
  }

  /** The REST Message resource's `media` field for a message's files. */
  static messageField(files: StoredMedia[]) {
    if (files.length === 0) return null;
    return files.map((m) => ({
      sid: m.sid,
      size: m.content.length,
      content_type: m.contentType,
      filename: m.filename,
      category: 'media',
    }));
  }

  /** `GET /v1/Services/{serviceSid}/Media/{mediaSid}`: the resource, with a fresh pre-signed direct URL. */
  resourceJson(accountSid: string, m: StoredMedia, fakeUrl: string) {
    const token = randomBytes(16).toString('hex');
    const expiresAt = Date.now() + DIRECT_URL_TTL_MS;
    this.directTokens.set(token, { mediaSid: m.sid, expiresAt });
    const url = `/v1/Services/${m.serviceSid}/Media/${m.sid}`;
    return {
      sid: m.sid,
      account_sid: accountSid,
      service_sid: m.serviceSid,
      date_created: iso(m.createdAt),
      date_updated: iso(m.createdAt),
      channel_sid: m.conversationSid,
      message_sid: m.messageSid,
      size: m.content.length,
      content_type: m.contentType,
      filename: m.filename,
      author: m.author,
      category: 'media',
      url,
      links: {
        content: `${url}/Content`,
        content_direct_temporary: `${fakeUrl}/${DIRECT_CONTENT_PRODUCT}/${m.sid}?Expires=${Math.floor(expiresAt / 1000)}&Signature=${token}`,
      },
    };
  }

  /** The file behind a pre-signed direct URL, if the token is ours, for this media, and not expired. */
  direct(mediaSid: string, token: string | undefined): StoredMedia | undefined {
    const grant = token ? this.directTokens.get(token) : undefined;
    if (!grant || grant.mediaSid !== mediaSid || grant.expiresAt < Date.now()) return undefined;
    return this.media.get(mediaSid);
  }
}
