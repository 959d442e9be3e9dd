import { ApplicationFailure } from '@temporalio/common';
import { type Logger } from 'pino';
import { type Config } from '../../config';
import { SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';
import { type FlexPort } from './port';
import { createTwilioClient, type TwilioClientOptions } from './twilio-client';
import { TwilioFlexAdapter } from './twilio-flex-adapter';
import { type MediaLinks, mediaLinksFromConfig } from '../../media/media-links';
import { type MediaLinker } from '../../media/message-media';

/** Where conversation-scoped webhooks point, relative to PUBLIC_BASE_URL (the router is mounted at /twilio). */
export const CONVERSATIONS_WEBHOOK_PATH = '/twilio/conversations';

/** The secret customer identities are an HMAC under: TWILIO_IDENTITY_SECRET, else derived from the credentials. */
export function customerIdentitySecret(t: Config['twilio']): string | undefined {
  return t.identitySecret ?? t.authToken ?? t.apiSecret;
}

/** The variables the Flex adapter cannot work without, by name, for an operator-facing message. */
export function missingTwilioSettings(config: Pick<Config, 'twilio' | 'http'>): string[] {
  const t = config.twilio;
  const missing: string[] = [];
  if (!t.accountSid) missing.push('TWILIO_ACCOUNT_SID');
  if (!t.authToken && !(t.apiKey && t.apiSecret))
    missing.push('TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET)');
  if (!t.workspaceSid) missing.push('TWILIO_FLEX_WORKSPACE_SID');
  if (!t.workflowSid) missing.push('TWILIO_FLEX_WORKFLOW_SID');
  if (!config.http.publicBaseUrl) missing.push('PUBLIC_BASE_URL');
  return missing;
}

/**
 * The worker's Flex adapter from config. Without Twilio settings the worker still runs, and Flex activities fail
 * permanently with a message naming the missing variables (retrying cannot fix configuration).
 */
export function buildFlexPort(
  config: Pick<Config, 'twilio' | 'http' | 'mediaLinks'>,
  logger: Logger,
  clientOptions: TwilioClientOptions = {},
): FlexPort {
  const missing = missingTwilioSettings(config);
  if (missing.length > 0) {
    logger.warn({ missing }, 'Twilio Flex is not configured: Flex activities will fail until it is');
    const fail = async (): Promise<never> => {
      throw ApplicationFailure.nonRetryable(
        `Twilio Flex is not configured on the worker: set ${missing.join(', ')}`,
        SUPPORT_FAILURE_TYPES.forbidden,
      );
    };
    return {
      ensureConversation: fail,
      postCustomerMessage: fail,
      handToFlex: fail,
      escalate: fail,
      fetchUpdates: fail,
      handoffTasks: fail,
      estimateWait: fail,
      close: fail,
    };
  }
  const t = config.twilio;
  if (!t.identitySecret) {
    logger.warn(
      'TWILIO_IDENTITY_SECRET is not set: customer identities in Twilio derive from the Twilio credentials and ' +
        'change when those are rotated; set a secret of its own and keep it',
    );
  }
  return new TwilioFlexAdapter({
    client: createTwilioClient(
      {
        accountSid: t.accountSid!,
        authToken: t.authToken,
        apiKey: t.apiKey,
        apiSecret: t.apiSecret,
        apiBaseUrl: t.apiBaseUrl,
      },
      clientOptions,
    ),
    workspaceSid: t.workspaceSid!,
    workflowSid: t.workflowSid!,
    taskChannel: t.taskChannel,
    conversationsServiceSid: t.conversationsServiceSid,
    conversationsWebhookUrl: `${config.http.publicBaseUrl!.replace(/\/+$/, '')}${CONVERSATIONS_WEBHOOK_PATH}`,
    timers: t.conversationTimers,
    mediaLink: linkerFrom(mediaLinksFromConfig(config)),
    // missingTwilioSettings guarantees an auth token or an API secret to fall back on.
    identitySecret: customerIdentitySecret(t)!,
  });
}

function linkerFrom(links: MediaLinks | undefined): MediaLinker | undefined {
  return links && ((media) => links.linkFor(media));
}
