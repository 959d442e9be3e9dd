import type {
  AgentMessageEvent,
  Attachment,
  DiscordChannelRef,
  DiscordUserRef,
} from '../../shared/support-types';
import type { FlexTaskRef } from '../../shared/flex-tasks';

export type { FlexTaskRef, FlexTaskStatus } from '../../shared/flex-tasks';

export interface FlexConversationRef {
  conversationSid: string;
  /**
   * The customer participant's identity, derived from the Discord user id; the workflow keeps the one it was given,
   * so a conversation goes on under the identity it was opened with.
   */
  customerIdentity: string;
}

export interface FlexHandoffRef {
  interactionSid: string;
  channelSid: string;
}

/** An agent's message as the Conversations API lists it, in the same words as the message webhook. */
export interface FlexAgentMessage extends AgentMessageEvent {
  /** The message's index in the conversation (ascending, may skip numbers). */
  index: number;
}

/**
 * What the Conversations API says now about a conversation: what the webhooks would have told, for when they
 * did not arrive.
 */
export interface FlexUpdates {
  /** Messages from anyone but the customer after the cursor, oldest first. */
  messages: FlexAgentMessage[];
  /** Agents currently in the conversation (the customer excluded). */
  agents: { identity: string; name: string; participantSid: string }[];
  state: 'active' | 'inactive' | 'closed';
  /** The highest message index looked at, customer messages included: the cursor for the next call. */
  lastMessageIndex?: number;
  /**
   * The Flex interaction channel's status, when a handoff was given: a task canceled in Flex closes or fails the
   * channel while the conversation itself stays active. Unset when the channel no longer exists.
   */
  channelStatus?: FlexChannelStatus;
  /**
   * The newest TaskRouter task of the handoff's channel, when a handoff was given. Flex can cancel the task (a
   * workflow timeout, a declined invite) and leave both the conversation and the channel open, with nobody coming.
   */
  task?: FlexTaskRef;
  /**
   * Every task of the handoff's channel, newest first (at most 20), when a handoff was given. A transfer invites a
   * new task on the same channel and wraps up or completes the first agent's: the conversation ends only when no
   * task of the channel is live any more.
   */
  tasks?: FlexTaskRef[];
}

/** Interaction channel statuses as the Flex Interactions API names them. */
export type FlexChannelStatus = 'setup' | 'active' | 'failed' | 'closed' | 'inactive' | 'pause' | 'transfer';

/** How long the user may still wait for an agent, from TaskRouter's live figures; a field is unset when unknown. */
export interface FlexWaitEstimate {
  /** Seconds until an agent is likely to accept the task. */
  seconds?: number;
  /** The task's place among the workflow's waiting tasks (1: next to be offered). */
  position?: number;
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
    /**
     * True: the customer's identity is an HMAC of the Discord user id. Absent only in activities scheduled by
     * workflow code from before opaque identities, which began with (and so retry with) `discord:<user id>`.
     */
    opaqueIdentity?: boolean;
  }): Promise<FlexConversationRef>;
  postCustomerMessage(input: {
    conversation: FlexConversationRef;
    text: string;
    attachments: Attachment[];
    /** The Discord message id, stored in the message attributes so a retry can find and skip it. */
    dedupeKey: string;
  }): Promise<{ messageSid: string; /** Its index in the conversation. */ index?: number }>;
  handToFlex(input: {
    conversation: FlexConversationRef;
    workflowId: string;
    caseNumber: number;
    /** Goes into the TaskRouter task attributes: case number, Discord user, summary, articles, transcript excerpt. */
    taskAttributes: Record<string, unknown>;
  }): Promise<FlexHandoffRef>;
  /** Raises the priority of the waiting Flex task (SLA breach). */
  escalate(input: { handoff: FlexHandoffRef; priority: number }): Promise<void>;
  /** Messages after `afterMessageIndex` (all when unset), the agents present and the conversation's state. */
  fetchUpdates(input: {
    conversation: FlexConversationRef;
    afterMessageIndex?: number;
    /** Also report the interaction channel's status and its newest task (`channelStatus`, `task`). */
    handoff?: FlexHandoffRef;
    /**
     * What the conversation already knows from its last read. Given, the read is tiered and sequential: the
     * conversation (if closed, only its last messages more), its new messages, the channel's tasks; the participants
     * only for a message author not in `agentKeys` or when the tasks differ from `tasks`; the channel's status only
     * when it has no task. Unset (runs from before that): everything is read at once.
     */
    known?: {
      /** `agentKey`s of everyone already announced. */
      agentKeys: string[];
      /** `tasksFingerprint` of the channel's tasks at the last read. */
      tasks?: string;
    };
  }): Promise<FlexUpdates>;
  /** The TaskRouter tasks of the handoff's interaction channel, newest first: more than one after a transfer. */
  handoffTasks(input: { handoff: FlexHandoffRef }): Promise<FlexTaskRef[]>;
  /** The expected wait for the handoff's task, from the configured TaskRouter workflow's statistics. */
  estimateWait(input: { handoff: FlexHandoffRef }): Promise<FlexWaitEstimate>;
  /** Closes the interaction channel (if any) and the conversation; closing what is already closed is not an error. */
  close(input: { conversation: FlexConversationRef; handoff?: FlexHandoffRef }): Promise<void>;
}
