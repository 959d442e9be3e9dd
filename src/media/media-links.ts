import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Config } from '../config';

/** Twilio media in a Conversations service: what a signed link points at. */
export interface MediaRef {
  /** The Conversations (Chat) service the media belongs to, `IS…`. */
  serviceSid: string;
  /** The Media Content Service sid, `ME…`. */
  mediaSid: string;
}

export interface MediaLinkOptions {
  /** The public URL the webhook server is reached at, e.g. https://support.example.com. */
  publicBaseUrl: string;
  /**
   * The secret links are signed with: MEDIA_LINK_SECRET, else the Twilio auth token. The HMAC key is derived from
   * it, so the auth token itself never signs anything a user can see.
   */
  secret: string;
  /** How long a link works after it is made. */
  ttlSeconds: number;
}

/** Where the media router is mounted, relative to the public base URL. */
export const MEDIA_LINK_MOUNT = '/media';

/**
 * Makes and checks the links Discord users get for agent attachments. Twilio media needs account credentials to
 * fetch, so the link names the media and carries an expiry and an HMAC-SHA256 signature over both; our server
 * checks it and redirects to Twilio's short-lived direct URL. Anyone with the link can open it until it expires,
 * which is what a Discord user expects from an attachment; nobody can forge a link to other media.
 */
export class MediaLinks {
  private readonly key: Buffer;
  private readonly base: string;

  constructor(private readonly options: MediaLinkOptions) {
    if (!options.secret) throw new Error('a media link secret is required');
    // Versioned so a change of scheme invalidates old links rather than misreading them.
    this.key = createHmac('sha256', options.secret).update('flexcord media links v1').digest();
    this.base = options.publicBaseUrl.replace(/\/+$/, '');
  }

  /** A signed link to the media, valid for the configured time from `nowMs`. */
  linkFor(media: MediaRef, nowMs = Date.now()): string {
    const exp = Math.floor(nowMs / 1000) + this.options.ttlSeconds;
    const sig = this.signature(media, exp);
    const path = `${MEDIA_LINK_MOUNT}/twilio/${encodeURIComponent(media.serviceSid)}/${encodeURIComponent(media.mediaSid)}`;
    return `${this.base}${path}?exp=${exp}&sig=${sig}`;
  }

  /** Whether `sig` was made by us for this media and expiry, and the expiry has not passed. */
  check(media: MediaRef, exp: number, sig: string, nowMs = Date.now()): 'ok' | 'bad_signature' | 'expired' {
    const expected = Buffer.from(this.signature(media, exp));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
    if (exp * 1000 <= nowMs) return 'expired';
    return 'ok';
  }

  private signature(media: MediaRef, exp: number): string {
    return createHmac('sha256', this.key)
      .update(`${media.serviceSid}\n${media.mediaSid}\n${exp}`)
      .digest('base64url');
  }
}

/**
 * Signed media links from config: signed with MEDIA_LINK_SECRET, else a key derived from TWILIO_AUTH_TOKEN, and
 * pointing at PUBLIC_BASE_URL. Undefined when either is missing (attachments are then only named in Discord).
 */
export function mediaLinksFromConfig(
  config: Pick<Config, 'http' | 'twilio' | 'mediaLinks'>,
): MediaLinks | undefined {
  const secret = config.mediaLinks.secret ?? config.twilio.authToken;
  const publicBaseUrl = config.http.publicBaseUrl;
  if (!secret || !publicBaseUrl) return undefined;
  return new MediaLinks({ secret, publicBaseUrl, ttlSeconds: config.mediaLinks.ttlSeconds });
}
