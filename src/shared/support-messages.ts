import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AgentJoinedEvent,
  AgentMessageEvent,
  ConversationState,
  FlexClosedEvent,
  OpenConversationResult,
  RatingEvent,
  StartSupportInput,
  UserActionEvent,
  UserMessageEvent,
} from './support-types';

/*
 * The support conversation's messages. Clients (bot, webhooks) import these definitions, never the workflow code.
 * Wire names match the constant names without the suffix.
 */
export const SUPPORT_WORKFLOW_TYPE = 'supportConversationWorkflow';

// From Discord (the bot)
export const userMessageSignal = defineSignal<[UserMessageEvent]>('userMessage');
export const requestHumanSignal = defineSignal<[UserActionEvent]>('requestHuman');
export const userCloseSignal = defineSignal<[UserActionEvent]>('userClose');
export const ratingSignal = defineSignal<[RatingEvent]>('rating');
/** `/helpme`, sent with update-with-start: opens (or finds) the private channel and says where it is. */
export const openConversationUpdate = defineUpdate<OpenConversationResult, [StartSupportInput]>(
  'openConversation',
);

// From Twilio (the webhooks)
export const agentJoinedSignal = defineSignal<[AgentJoinedEvent]>('agentJoined');
export const agentMessageSignal = defineSignal<[AgentMessageEvent]>('agentMessage');
export const flexClosedSignal = defineSignal<[FlexClosedEvent]>('flexClosed');

export const conversationStateQuery = defineQuery<ConversationState>('conversationState');
