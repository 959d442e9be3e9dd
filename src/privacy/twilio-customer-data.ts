import { type Twilio } from 'twilio';
import { type Config } from '../config';
import { customerIdentitySecret } from '../activities/twilio/build-flex-port';
import { legacyCustomerIdentity, opaqueCustomerIdentity } from '../activities/twilio/identity';
import { TwilioApiError } from '../activities/twilio/twilio-api-error';
import { createTwilioClient } from '../activities/twilio/twilio-client';

/** What Twilio holds about a Discord user, as far as flexcord put it there: their Conversations. */
export interface TwilioCustomerData {
  /** Every conversation the user takes part in, under the opaque identity or the older `discord:<id>` one. */
  conversationsOf(discordUserId: string): Promise<string[]>;
  /** Deletes a conversation with its messages and participants; `gone` when Twilio has none by that sid. */
  deleteConversation(conversationSid: string): Promise<'deleted' | 'gone'>;
}

export interface TwilioCustomerDataOptions {
  client: Twilio;
  /** The secret customer identities are an HMAC under, as the Flex adapter uses it. */
  identitySecret: string;
  conversationsServiceSid?: string;
}

/** On the Conversations API (`DELETE /v1/Conversations/{sid}`, `GET /v1/ParticipantConversations`). */
export class TwilioCustomerDataAdapter implements TwilioCustomerData {
  private readonly opaque: (discordUserId: string) => string;

  constructor(private readonly options: TwilioCustomerDataOptions) {
    this.opaque = opaqueCustomerIdentity(options.identitySecret);
  }

  async conversationsOf(discordUserId: string): Promise<string[]> {
    const sids = new Set<string>();
    for (const identity of [this.opaque(discordUserId), legacyCustomerIdentity(discordUserId)]) {
      // `list` pages through them all.
      for (const pc of await this.conversations.participantConversations.list({ identity })) {
        if (pc.conversationSid) sids.add(pc.conversationSid);
      }
    }
    return [...sids];
  }

  async deleteConversation(conversationSid: string): Promise<'deleted' | 'gone'> {
    try {
      await this.conversations.conversations(conversationSid).remove();
      return 'deleted';
    } catch (err) {
      if (err instanceof TwilioApiError && err.status === 404) return 'gone';
      throw err;
    }
  }

  private get conversations() {
    const v1 = this.options.client.conversations.v1;
    return this.options.conversationsServiceSid
      ? (v1.services(this.options.conversationsServiceSid) as unknown as Pick<
          typeof v1,
          'conversations' | 'participantConversations'
        >)
      : v1;
  }
}

/** From config, or undefined (said by the caller) when Twilio credentials are not set. */
export function buildTwilioCustomerData(config: Pick<Config, 'twilio'>): TwilioCustomerData | undefined {
  const t = config.twilio;
  const secret = customerIdentitySecret(t);
  if (!t.accountSid || !(t.authToken || (t.apiKey && t.apiSecret)) || !secret) return undefined;
  return new TwilioCustomerDataAdapter({
    client: createTwilioClient({
      accountSid: t.accountSid,
      authToken: t.authToken,
      apiKey: t.apiKey,
      apiSecret: t.apiSecret,
      apiBaseUrl: t.apiBaseUrl,
    }),
    identitySecret: secret,
    conversationsServiceSid: t.conversationsServiceSid,
  });
}
