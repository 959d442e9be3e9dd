import twilio, { type Twilio } from 'twilio';
import { RoutedRequestClient, type TwilioCallObserver } from './routed-request-client';

export interface TwilioCredentials {
  accountSid: string;
  /** Either the account's auth token, or an API key and its secret (preferred: revocable, scoped). */
  authToken?: string;
  apiKey?: string;
  apiSecret?: string;
  /** Send every request to this base URL instead of *.twilio.com (the local Twilio fake, a recording proxy). */
  apiBaseUrl?: string;
}

export interface TwilioClientOptions {
  /** Sees every HTTP call the client makes (metrics, traces). */
  observe?: TwilioCallObserver;
  /** How long one request may take (default 15 s); `flexcord doctor` gives up sooner. */
  timeoutMs?: number;
}

/** Builds a twilio client from config. Called by the entry point's wiring, never at module level. */
export function createTwilioClient(
  credentials: TwilioCredentials,
  options: TwilioClientOptions = {},
): Twilio {
  const httpClient = new RoutedRequestClient({
    baseUrl: credentials.apiBaseUrl,
    observe: options.observe,
    timeoutMs: options.timeoutMs,
  });
  if (credentials.apiKey && credentials.apiSecret) {
    return twilio(credentials.apiKey, credentials.apiSecret, {
      accountSid: credentials.accountSid,
      httpClient,
    });
  }
  if (!credentials.authToken) {
    throw new Error('Twilio needs TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with TWILIO_API_SECRET');
  }
  return twilio(credentials.accountSid, credentials.authToken, { httpClient });
}
