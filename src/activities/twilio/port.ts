import type { Attachment, DiscordChannelRef, DiscordUserRef } from '../../shared/support-types';

export interface FlexConversationRef {
  conversationSid: string;
  /** The customer participant's identity, derived from the Discord user id. */
  customerIdentity: string;
}

export interface FlexHandoffRef {
  interactionSid: string;
  channelSid: string;
}

/**
 * Twilio Flex Conversations, in flexcord's words: the Conversations API for messages and the Interactions API for
 * routing to an agent. The real adapter uses the `twilio` client; tests use the local Twilio fake.
 */
export interface FlexPort {
  ensureConversation(input: {
    workflowId: string;
    user: DiscordUserRef;
    channel: DiscordChannelRef;
    caseNumber: number;
  }): Promise<FlexConversationRef>;
  postCustomerMessage(input: {
    conversation: FlexConversationRef;
    text: string;
    attachments: Attachment[];
    /** The Discord message id, stored in the message attributes so a retry can find and skip it. */
    dedupeKey: string;
  }): Promise<{ messageSid: string }>;
  handToFlex(input: {
    conversation: FlexConversationRef;
    workflowId: string;
    caseNumber: number;
    /** Goes into the TaskRouter task attributes: case number, Discord user, summary, articles, transcript excerpt. */
    taskAttributes: Record<string, unknown>;
  }): Promise<FlexHandoffRef>;
  /** Raises the priority of the waiting Flex task (SLA breach). */
  escalate(input: { handoff: FlexHandoffRef; priority: number }): Promise<void>;
  /** Closes the interaction channel (if any) and the conversation; closing what is already closed is not an error. */
  close(input: { conversation: FlexConversationRef; handoff?: FlexHandoffRef }): Promise<void>;
}
