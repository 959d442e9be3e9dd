import { type Router } from 'express';
import { type RoleContext } from '../../app/role';
import { buildMediaContentSource } from '../../app/dependencies';
import { type Config } from '../../config';
import { MEDIA_LINK_MOUNT, MediaLinks } from './media-links';
import { createMediaRouter } from './media-router';

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

/** The /media router for the webhooks role, or nothing (said so) when links cannot be signed or served. */
export function mediaLinkRouters(
  ctx: Pick<RoleContext, 'config' | 'logger'>,
): { path: string; router: Router }[] {
  const links = mediaLinksFromConfig(ctx.config);
  const content = buildMediaContentSource(ctx.config);
  if (!links || !content) {
    ctx.logger.warn(
      'media links need PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID and Twilio credentials: /media is not served, and agent attachments are only named in Discord',
    );
    return [];
  }
  return [{ path: MEDIA_LINK_MOUNT, router: createMediaRouter({ links, content, logger: ctx.logger }) }];
}
