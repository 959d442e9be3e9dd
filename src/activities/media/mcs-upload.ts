import { z } from 'zod';
import { MCS_BASE_URL } from '../../webhooks/media/twilio-media-content';
import { rebase } from '../twilio/routed-request-client';
import { TwilioApiError } from '../twilio/twilio-api-error';

export interface McsCredentials {
  accountSid: string;
  authToken?: string;
  apiKey?: string;
  apiSecret?: string;
  /** The local Twilio fake in tests and the sandbox (same rebasing as every other Twilio call). */
  apiBaseUrl?: string;
}

const created = z.looseObject({ sid: z.string().regex(/^ME[0-9a-fA-F]{32}$/) });

/**
 * Uploads a file's bytes to Twilio's Media Content Service: `POST /v1/Services/{ChatServiceSid}/Media` on the media
 * host, HTTP basic auth, the raw bytes as the body with their Content-Type (Twilio's "Conversations Media
 * Resource"). Neither the helper library nor its request client can send a raw body, hence plain fetch. The file
 * name goes in the `Filename` query parameter, as Twilio's own MCS client sends it. Twilio deletes an upload that
 * no message uses within minutes, so the caller attaches it at once.
 */
export class McsUploader {
  private readonly authorization: string;

  constructor(private readonly credentials: McsCredentials) {
    const user = credentials.apiKey && credentials.apiSecret ? credentials.apiKey : credentials.accountSid;
    const pass = credentials.apiKey && credentials.apiSecret ? credentials.apiSecret : credentials.authToken;
    if (!pass) throw new Error('the Media Content Service needs TWILIO_AUTH_TOKEN or an API key and secret');
    this.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }

  async upload(input: {
    serviceSid: string;
    bytes: Buffer;
    contentType: string;
    filename: string;
  }): Promise<{ mediaSid: string }> {
    const twilioUri = `${MCS_BASE_URL}/Services/${encodeURIComponent(input.serviceSid)}/Media?Filename=${encodeURIComponent(input.filename)}`;
    const uri = this.credentials.apiBaseUrl ? rebase(twilioUri, this.credentials.apiBaseUrl) : twilioUri;
    const response = await fetch(uri, {
      method: 'POST',
      headers: { authorization: this.authorization, 'content-type': input.contentType },
      body: input.bytes,
      signal: AbortSignal.timeout(120_000),
    });
    const text = await response.text();
    if (!response.ok) {
      throw TwilioApiError.fromResponse(
        { statusCode: response.status, body: text, headers: Object.fromEntries(response.headers) },
        { method: 'POST', uri: twilioUri },
      );
    }
    const parsed = created.safeParse(parseJson(text));
    if (!parsed.success) throw new Error('the Media Content Service answered an upload without a media sid');
    return { mediaSid: parsed.data.sid };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
