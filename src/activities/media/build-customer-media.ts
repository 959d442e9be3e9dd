import { ApplicationFailure } from '@temporalio/common';
import { type Config } from '../../config';
import { SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';
import { createTwilioClient, type TwilioClientOptions } from '../twilio/twilio-client';
import { McsUploader } from './mcs-upload';
import { type CustomerMediaPort } from './port';
import { TwilioCustomerMedia } from './twilio-customer-media';

/** The worker's customer-file relay from config; without Twilio credentials every relay fails permanently. */
export function buildCustomerMedia(
  config: Pick<Config, 'twilio' | 'discord' | 'customerMedia'>,
  options: TwilioClientOptions = {},
): CustomerMediaPort {
  const t = config.twilio;
  if (!t.accountSid || !(t.authToken || (t.apiKey && t.apiSecret))) {
    return {
      relay: async () => {
        throw ApplicationFailure.nonRetryable(
          'Twilio is not configured on the worker: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or an API key)',
          SUPPORT_FAILURE_TYPES.forbidden,
        );
      },
    };
  }
  const credentials = {
    accountSid: t.accountSid,
    authToken: t.authToken,
    apiKey: t.apiKey,
    apiSecret: t.apiSecret,
    apiBaseUrl: t.apiBaseUrl,
  };
  return new TwilioCustomerMedia({
    client: createTwilioClient(credentials, options),
    uploader: new McsUploader(credentials),
    limits: { maxBytes: config.customerMedia.maxBytes, extensions: config.customerMedia.extensions },
    download: {
      // A bare host name is reached over https only; an entry with a scheme is an origin taken as it is (the
      // sandbox's own server). A local Discord (tests, the sandbox) serves its files from its own address too.
      hosts: config.customerMedia.attachmentHosts.filter((h) => !h.includes('://')),
      origins: [
        ...config.customerMedia.attachmentHosts
          .filter((h) => h.includes('://'))
          .map((h) => new URL(h).origin),
        ...(config.discord.apiUrl ? [new URL(config.discord.apiUrl).origin] : []),
      ],
    },
    conversationsServiceSid: t.conversationsServiceSid,
  });
}
