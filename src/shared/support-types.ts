import type { Locale } from './i18n/locales';

/*
 * The vocabulary of a support conversation, shared by the workflow, the Discord bot, the Twilio webhooks and the
 * activities. Pure types only: this file is bundled into workflow code.
 */

export const SUPPORT_PHASES = ['bot', 'waiting_for_agent', 'with_agent', 'closed'] as const;
export type SupportPhase = (typeof SUPPORT_PHASES)[number];

export interface Attachment {
  url: string;
  name?: string;
  contentType?: string;
  /** Discord's attachment id (a customer's file): what its relay to Flex is recognised by on a retry. */
  id?: string;
  /** Size in bytes, as Discord reports it. */
  size?: number;
  /**
   * Where a customer's file lives once relayed to Flex: its Twilio Media Content Service resource. Discord's own
   * links expire after about a day; this reference does not (the signed /media link is made from it).
   */
  twilioMedia?: { serviceSid: string; mediaSid: string };
  /** Why the file did not reach the agent (the user was told). */
  refused?: AttachmentRefusal;
}

/** Why a customer's file is not passed on to Flex. */
export type AttachmentRefusal = 'too_large' | 'type_not_accepted' | 'unavailable';

/** Where the conversation happens in Discord: the user's DM channel, or a private thread when DMs are closed. */
export interface DiscordChannelRef {
  channelId: string;
  kind: 'dm' | 'thread';
}

export interface DiscordUserRef {
  guildId: string;
  userId: string;
  /** Display name at the time the conversation started (names change; the id does not). */
  userName: string;
}

/** A knowledge-base article the bot suggests. */
export interface ArticleHit {
  /** Stable id: the article's path relative to the knowledge-base folder, e.g. `account/reset-password.md`. */
  id: string;
  title: string;
  excerpt: string;
  url: string;
  score: number;
}

export type CloseReason =
  'agent_closed' | 'task_completed' | 'task_canceled' | 'user_closed' | 'inactivity' | 'flex_failed';

/** Buttons the workflow can ask the Discord side to show under a message. */
export type ConversationButton = 'request_human' | 'close' | 'rating';

/** One message the workflow wants shown to the user; the Discord adapter renders it (embeds, buttons, splitting). */
export interface OutboundDiscordMessage {
  channel: DiscordChannelRef;
  /** Stable per logical send, so a retried activity never posts twice (Discord `nonce` + `enforce_nonce`). */
  dedupeKey: string;
  /**
   * Post only this part (0-based) of the rendered message; the answer says how many parts there are. Each part is
   * then its own step, so a retry never re-sends a part that was already confirmed.
   */
  part?: number;
  /** The conversation's last message id in this channel before this send: a retry looks for its own post after it. */
  after?: string;
  /**
   * The conversation this message belongs to; its buttons name it, since one DM channel carries the user's
   * conversations of every server.
   */
  conversation?: { guildId: string; userId: string };
  kind: 'bot_answer' | 'agent_message' | 'notice' | 'rating_prompt';
  text: string;
  articles?: ArticleHit[];
  /** Shown as the author line on agent messages. */
  agentName?: string;
  attachments?: Attachment[];
  buttons?: ConversationButton[];
  /** The language of the buttons and the agent line (the conversation's); unset: English. */
  locale?: Locale;
}

// ---- inbound events; each carries an idempotency key (`eventId`) so a duplicate changes nothing ----

export interface UserMessageEvent {
  /** The Discord message id. */
  eventId: string;
  text: string;
  attachments: Attachment[];
  sentAt: string;
}

export interface UserActionEvent {
  /** The Discord interaction id (button press or slash command). */
  eventId: string;
}

export interface RatingEvent extends UserActionEvent {
  rating: 1 | 2 | 3 | 4 | 5;
}

/**
 * What a Flex event belongs to: the Twilio conversation, the Flex interaction channel and the TaskRouter task it
 * came from, as far as the event says. Flex events can arrive late (an agent's wrap-up lasts minutes), so the
 * workflow ignores one that names another conversation or channel than its current handoff. Unset fields name
 * nothing (events signalled before flexcord sent them are taken as they come).
 */
export interface FlexEventOrigin {
  conversationSid?: string;
  channelSid?: string;
  taskSid?: string;
}

export interface AgentJoinedEvent extends FlexEventOrigin {
  /** Twilio ParticipantSid, or the TaskRouter EventSid for reservation.accepted. */
  eventId: string;
  agentIdentity: string;
  agentName: string;
}

export interface AgentMessageEvent {
  /** The Twilio MessageSid. */
  eventId: string;
  agentIdentity: string;
  agentName: string;
  text: string;
  attachments: Attachment[];
  sentAt: string;
  /**
   * The message's Index in the Twilio conversation, from the webhook: one the workflow has not reached yet says an
   * earlier message may be missing (its webhook lost). Absent in signals from before it was sent.
   */
  index?: number;
}

export interface FlexClosedEvent extends FlexEventOrigin {
  /** Twilio EventSid / webhook id. */
  eventId: string;
  reason: Extract<CloseReason, 'agent_closed' | 'task_completed' | 'task_canceled'>;
}

/** Timings a conversation runs with; passed at start (from config) so tests can use seconds. */
export interface SupportTimings {
  inactivitySeconds: number;
  inactivityReminderSeconds: number;
  agentSlaSeconds: number;
  /** How long after a close the 1-5 rating is still accepted (default one day). */
  ratingWindowSeconds?: number;
  /**
   * While Flex has the conversation, how often the workflow asks the Conversations API for what the webhooks may
   * have missed (default one minute; 0 turns it off).
   */
  flexReconcileSeconds?: number;
  /**
   * The longest interval reconciliation backs off to while it finds nothing missed or while webhooks arrive
   * (default: eight times `flexReconcileSeconds`).
   */
  flexReconcileMaxSeconds?: number;
}

export interface StartSupportInput {
  user: DiscordUserRef;
  /**
   * The user's language: the locale of the interaction that started the conversation (`/helpme`), else the
   * server's preferred locale (a DM carries none). Unset: English.
   */
  locale?: Locale;
  timings: SupportTimings;
  /** Prefer a private thread over a DM (server setting). */
  preferThread: boolean;
  /** Set when the user already wrote in a DM or thread: the conversation lives there, no new channel is opened. */
  channel?: DiscordChannelRef;
}

/** What `/helpme` gets back: where to send the user. */
export interface OpenConversationResult {
  channel: DiscordChannelRef;
  phase: SupportPhase;
  /** False when an existing conversation was resumed. */
  created: boolean;
}

export interface ConversationState {
  phase: SupportPhase;
  user: DiscordUserRef;
  channel?: DiscordChannelRef;
  caseNumber?: number;
  agent?: { identity: string; name: string };
  twilioConversationSid?: string;
  /** The newest Discord message of the user the conversation has seen: the bot catches up after it. */
  discordCursor?: string;
}

/** `support-<guild>-<user>`: one conversation per Discord user per guild. */
export function supportWorkflowId(guildId: string, userId: string): string {
  return `support-${guildId}-${userId}`;
}
