import { randomBytes } from 'node:crypto';

/** A Twilio-shaped SID: two-letter resource prefix + 32 hex digits (the pattern in Twilio's OpenAPI specs). */
export function newSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** Twilio's error body (https://www.twilio.com/docs/usage/twilios-response). */
export function twilioError(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}
