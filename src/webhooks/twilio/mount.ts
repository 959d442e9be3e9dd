import { type Router } from 'express';
import { type RoleContext } from '../../app/role';
import { signalAgentEvent } from '../../temporal/support-client';
import { mediaLinksFromConfig } from '../../media/media-links';
import { createTwilioWebhookRouter } from './twilio-router';

/**
 * The Twilio routers for the webhooks role, signalling conversations through the role's Temporal client.
 * Without TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL no signature can be checked, so nothing is mounted (and said so).
 */
export function twilioWebhookRouters(
  ctx: Pick<RoleContext, 'config' | 'logger' | 'client'>,
): { path: string; router: Router }[] {
  const { authToken } = ctx.config.twilio;
  const { publicBaseUrl, bodyLimit } = ctx.config.http;
  if (!authToken || !publicBaseUrl) {
    ctx.logger.warn(
      'TWILIO_AUTH_TOKEN or PUBLIC_BASE_URL is not set: /twilio/conversations and /twilio/taskrouter are not served',
    );
    return [];
  }
  const mediaLinks = mediaLinksFromConfig(ctx.config);
  const router = createTwilioWebhookRouter({
    authToken,
    publicBaseUrl,
    bodyLimit,
    logger: ctx.logger,
    deliver: (input) => signalAgentEvent(ctx.client, input),
    mediaLink: mediaLinks && ((media) => mediaLinks.linkFor(media)),
  });
  return [{ path: '/twilio', router }];
}
