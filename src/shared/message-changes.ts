import { defineSignal } from '@temporalio/workflow';
import type { Attachment, FlexEventOrigin } from './support-types';

/*
 * Edits and deletions of messages already relayed, both ways: a user's in Discord (MESSAGE_UPDATE, MESSAGE_DELETE)
 * and an agent's in Flex (onMessageUpdated, onMessageRemoved). Each carries an idempotency key like every event.
 */

export interface UserMessageEditedEvent {
  /** `<Discord message id>:edited:<edited_timestamp>`: one event per edit. */
  eventId: string;
  messageId: string;
  text: string;
  editedAt: string;
}

export interface UserMessageDeletedEvent {
  /** `<Discord message id>:deleted`. */
  eventId: string;
  messageId: string;
}

export interface AgentMessageEditedEvent extends FlexEventOrigin {
  /** `<MessageSid>:updated:<DateUpdated>`. */
  eventId: string;
  messageSid: string;
  agentIdentity: string;
  /** Shown as the author line, as on the original. */
  agentName: string;
  text: string;
  attachments: Attachment[];
  editedAt: string;
}

export interface AgentMessageRemovedEvent extends FlexEventOrigin {
  /** `<MessageSid>:removed`. */
  eventId: string;
  messageSid: string;
  agentIdentity: string;
}

export const userMessageEditedSignal = defineSignal<[UserMessageEditedEvent]>('userMessageEdited');
export const userMessageDeletedSignal = defineSignal<[UserMessageDeletedEvent]>('userMessageDeleted');
export const agentMessageEditedSignal = defineSignal<[AgentMessageEditedEvent]>('agentMessageEdited');
export const agentMessageRemovedSignal = defineSignal<[AgentMessageRemovedEvent]>('agentMessageRemoved');
