import { ApplicationFailure } from '@temporalio/common';
import { type Twilio } from 'twilio';
import { type Config } from '../../config';
import { SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';
import { toActivityFailure } from '../twilio/retry-policy';
import { createTwilioClient, type TwilioClientOptions } from '../twilio/twilio-client';
import { TwilioApiError } from '../twilio/twilio-api-error';
import type { FlexConversationRef } from '../twilio/port';

/** A user's edits and deletions in Discord, made to the Conversations messages their message became. */
export interface FlexRevisionsPort {
  /** Replaces the text of a customer message; one deleted meanwhile is left alone. */
  editCustomerMessage(input: {
    conversation: FlexConversationRef;
    messageSid: string;
    text: string;
  }): Promise<void>;
  /** Removes customer messages; ones already gone are not an error. */
  removeCustomerMessages(input: { conversation: FlexConversationRef; messageSids: string[] }): Promise<void>;
}

/** FlexRevisionsPort on the Conversations API (message update and delete); both are idempotent by nature. */
export class TwilioFlexRevisions implements FlexRevisionsPort {
  constructor(
    private readonly client: Twilio,
    private readonly conversationsServiceSid?: string,
  ) {}

  async editCustomerMessage(input: Parameters<FlexRevisionsPort['editCustomerMessage']>[0]): Promise<void> {
    await ignoreGone(
      this.messages(input.conversation.conversationSid)(input.messageSid).update({ body: input.text }),
    );
  }

  async removeCustomerMessages(
    input: Parameters<FlexRevisionsPort['removeCustomerMessages']>[0],
  ): Promise<void> {
    const messages = this.messages(input.conversation.conversationSid);
    for (const sid of input.messageSids) await ignoreGone(messages(sid).remove());
  }

  private messages(conversationSid: string) {
    const v1 = this.client.conversations.v1;
    const scoped = this.conversationsServiceSid
      ? (v1.services(this.conversationsServiceSid) as unknown as Pick<typeof v1, 'conversations'>)
      : v1;
    return scoped.conversations(conversationSid).messages;
  }
}

async function ignoreGone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    // The message (or its closed conversation) is gone: nothing is left to change.
    if (!(err instanceof TwilioApiError && err.status === 404)) throw err;
  }
}

export function buildFlexRevisions(
  config: Pick<Config, 'twilio'>,
  options: TwilioClientOptions = {},
): FlexRevisionsPort {
  const t = config.twilio;
  if (!t.accountSid || !(t.authToken || (t.apiKey && t.apiSecret))) {
    const fail = async (): Promise<never> => {
      throw ApplicationFailure.nonRetryable(
        'Twilio is not configured on the worker',
        SUPPORT_FAILURE_TYPES.forbidden,
      );
    };
    return { editCustomerMessage: fail, removeCustomerMessages: fail };
  }
  const client = createTwilioClient(
    {
      accountSid: t.accountSid,
      authToken: t.authToken,
      apiKey: t.apiKey,
      apiSecret: t.apiSecret,
      apiBaseUrl: t.apiBaseUrl,
    },
    options,
  );
  return new TwilioFlexRevisions(client, t.conversationsServiceSid);
}

export interface FlexRevisionsDeps {
  flexRevisions: FlexRevisionsPort;
}

export function createFlexRevisionActivities(deps: FlexRevisionsDeps) {
  const mapped = async (operation: string, call: () => Promise<void>) => {
    try {
      await call();
    } catch (err) {
      throw toActivityFailure(err, operation);
    }
  };
  return {
    editFlexMessage: (input: Parameters<FlexRevisionsPort['editCustomerMessage']>[0]) =>
      mapped('editFlexMessage', () => deps.flexRevisions.editCustomerMessage(input)),
    removeFlexMessages: (input: Parameters<FlexRevisionsPort['removeCustomerMessages']>[0]) =>
      mapped('removeFlexMessages', () => deps.flexRevisions.removeCustomerMessages(input)),
  };
}
