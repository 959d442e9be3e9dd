import { createTwilioActivities } from '../../src/activities/twilio/activities';
import { createTwilioClient } from '../../src/activities/twilio/twilio-client';
import { TwilioFlexAdapter } from '../../src/activities/twilio/twilio-flex-adapter';
import { type MediaLinker } from '../../src/media/message-media';
import { type FakeTwilio } from '../../src/sandbox/twilio/fake-twilio';

export const WEBHOOK_URL = 'https://bridge.example.com/twilio/conversations';
/** The secret test customers' Twilio identities are an HMAC under. */
export const IDENTITY_SECRET = 'test-identity-secret-0123456789';

/**
 * Flex activities on the real adapter against the fake; `overrides` change the credentials, URL, media links or
 * the Conversations service.
 */
export function flexActivities(
  fake: FakeTwilio,
  overrides: {
    authToken?: string;
    apiBaseUrl?: string;
    mediaLink?: MediaLinker;
    conversationsServiceSid?: string;
    identitySecret?: string;
  } = {},
) {
  const adapter = new TwilioFlexAdapter({
    client: createTwilioClient({
      accountSid: fake.accountSid,
      authToken: overrides.authToken ?? fake.authToken,
      apiBaseUrl: overrides.apiBaseUrl ?? fake.url,
    }),
    workspaceSid: fake.workspaceSid,
    workflowSid: fake.workflowSid,
    taskChannel: 'chat',
    conversationsWebhookUrl: WEBHOOK_URL,
    timers: { inactive: 'PT12H', closed: 'P2D' },
    interactionSetup: { attempts: 5, intervalMs: 10 },
    identitySecret: overrides.identitySecret ?? IDENTITY_SECRET,
    ...(overrides.mediaLink ? { mediaLink: overrides.mediaLink } : {}),
    ...(overrides.conversationsServiceSid
      ? { conversationsServiceSid: overrides.conversationsServiceSid }
      : {}),
  });
  return createTwilioActivities(adapter);
}
