import { type Router } from 'express';
import { type RoleContext } from '../../app/role';
import { buildMediaContentSource } from '../../app/dependencies';
import { MEDIA_LINK_MOUNT, mediaLinksFromConfig } from '../../media/media-links';
import { createMediaRouter } from './media-router';

/** The /media router for the webhooks role, or nothing (said so) when links cannot be signed or served. */
export function mediaLinkRouters(
  ctx: Pick<RoleContext, 'config' | 'logger' | 'observability'>,
): { path: string; router: Router }[] {
  const links = mediaLinksFromConfig(ctx.config);
  const content = buildMediaContentSource(ctx.config, ctx.observability);
  if (!links || !content) {
    ctx.logger.warn(
      'media links need PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID and Twilio credentials: /media is not served, and agent attachments are only named in Discord',
    );
    return [];
  }
  return [{ path: MEDIA_LINK_MOUNT, router: createMediaRouter({ links, content, logger: ctx.logger }) }];
}
