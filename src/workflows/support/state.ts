import { isAfter, snowflakeAt } from '../../shared/discord-snowflake';
import type { FlexConversationRef, FlexHandoffRef } from '../../activities/twilio/port';
import {
  afterRead,
  firstRead,
  nextReadAt,
  reconcilePolicy,
  type ReconcileClock,
  type ReconcilePolicy,
} from './reconcile-policy';
import type { TranscriptEntry } from '../../shared/case-types';
import type {
  AgentMessageEditedEvent,
  AgentMessageRemovedEvent,
  UserMessageDeletedEvent,
  UserMessageEditedEvent,
} from '../../shared/message-changes';
import type { MessageMap } from './message-map';
import type { Locale } from '../../shared/i18n/locales';
import type {
  AgentJoinedEvent,
  AgentMessageEvent,
  ArticleHit,
  ConversationState,
  DiscordChannelRef,
  DiscordUserRef,
  FlexClosedEvent,
  RatingEvent,
  StartSupportInput,
  SupportPhase,
  SupportTimings,
  UserActionEvent,
  UserMessageEvent,
} from '../../shared/support-types';

/**
 * An inbound event waiting for the main loop; handlers only queue these, reconciliation too (`viaReconcile`: read
 * from Flex, not delivered by a webhook).
 */
export type InboxItem = InboxEvent & { viaReconcile?: true };

type InboxEvent =
  | { kind: 'user_message'; event: UserMessageEvent }
  | { kind: 'request_human'; event: UserActionEvent }
  | { kind: 'user_close'; event: UserActionEvent }
  | { kind: 'rating'; event: RatingEvent }
  | { kind: 'agent_joined'; event: AgentJoinedEvent }
  | { kind: 'agent_message'; event: AgentMessageEvent }
  | { kind: 'flex_closed'; event: FlexClosedEvent }
  /** `/helpme` after a close: the main loop starts a fresh conversation once the close has finished. */
  | { kind: 'reopen'; event: { eventId: string } }
  | { kind: 'user_edit'; event: UserMessageEditedEvent }
  | { kind: 'user_delete'; event: UserMessageDeletedEvent }
  | { kind: 'agent_edit'; event: AgentMessageEditedEvent }
  | { kind: 'agent_remove'; event: AgentMessageRemovedEvent };

/**
 * What a conversation carries into its next run after continue-as-new: small on purpose. The transcript is in the
 * case store; only the lines written before a case exists (bounded) travel here.
 */
export interface CarriedState {
  /** Identifies one conversation within the workflow id (a fresh one starts after a close); keys case idempotency. */
  episodeKey: string;
  phase: SupportPhase;
  channel?: DiscordChannelRef;
  caseNumber?: number;
  flexConversation?: FlexConversationRef;
  handoff?: FlexHandoffRef;
  agent?: { identity: string; name: string };
  /**
   * Everyone announced to the user in this conversation (`agentKey`s): each person is introduced once, however
   * Flex names them and however often they come and go. Unset in runs from before the `agent-once` patch.
   */
  announcedAgents?: string[];
  /** The most recent inbound event ids, so a duplicate delivered after continue-as-new still changes nothing. */
  seenEventIds: string[];
  /**
   * The newest Discord message of the user this conversation has seen (at first: the id of the moment it started).
   * After a gateway session that was not resumed, the bot reads the channel after it for what it missed.
   * Absent in conversations started before it existed.
   */
  discordCursor?: string;
  lastActivityAt: number;
  reminderSent: boolean;
  waitingSince?: number;
  escalated: boolean;
  pendingRating?: { caseNumber: number; until: number };
  botTranscript: TranscriptEntry[];
  suggestedArticles: ArticleHit[];
  closeReason?: string;
  /** The greeting for `/helpme` was posted in this conversation. */
  greeted: boolean;
  /** How many runs this conversation has had, for the operator's details line. */
  run: number;
  /** The highest Flex message index reconciliation has read, so the next read starts after it. */
  flexMessageCursor?: number;
  /** When reconciliation last asked Flex; the next ask is one interval later. */
  flexReconciledAt?: number;
  /** The user's language: the interaction that started the conversation, else the server's (unset: English). */
  locale?: Locale;
  /** Which relayed message became which on the other side, for edits and deletions (bounded; unset before them). */
  messageMap?: MessageMap;
  /** Where the adaptive schedule stands (patch `flex-reconcile-adaptive`): see reconcile-policy.ts. */
  flexReconcileClock?: ReconcileClock;
  /** When a Flex event last arrived by webhook: reads hold off while they do. */
  flexHeardAt?: number;
  /** The channel's tasks at the last read (`tasksFingerprint`): unchanged, the participants need no read. */
  flexTasksSeen?: string;
  /** When this conversation (episode) began, for support analytics; unset in runs from before them. */
  startedAt?: number;
  /** The analytics milestones already recorded for this conversation (each is recorded once). */
  statsRecorded?: ConversationMilestone[];
}

export type ConversationMilestone =
  'started' | 'kb_answered' | 'human_requested' | 'agent_joined' | 'first_agent_reply' | 'closed';

export interface SupportWorkflowInput extends StartSupportInput {
  /** Set by continue-as-new. */
  resume?: CarriedState;
  /** Continue-as-new after this many inbound events in one run, besides whenever the server suggests it. */
  continueAsNewAfterEvents?: number;
}

export const MAX_SEEN_EVENT_IDS = 256;
export const MAX_BOT_TRANSCRIPT = 40;
export const MAX_SUGGESTED_ARTICLES = 6;
export const DEFAULT_RATING_WINDOW_SECONDS = 24 * 60 * 60;
export const DEFAULT_FLEX_RECONCILE_SECONDS = 60;

/** The conversation's state. Handlers call `receive`; only the main loop changes the rest. */
export class ConversationModel {
  readonly inbox: InboxItem[] = [];
  /** Set when an `openConversation` update should be answered with a greeting. */
  greetingPending = false;
  /** True while the main loop is posting the greeting (it may move the conversation to a thread meanwhile). */
  greetingInFlight = false;
  /** Why the conversation cannot go on at all (no channel could be opened). */
  fatal?: string;
  /**
   * The Discord server is not set up for flexcord (no #support channel, a missing permission): what Discord or the
   * adapter said, for the `/helpme` answer. Set when the conversation could not reach the user because of it.
   */
  setupProblem?: string;
  eventsThisRun = 0;
  /**
   * Set by the workflow once the `flex-reconcile` patch is on for this run; off, the model plans no reconciliation,
   * so histories from before it replay unchanged.
   */
  reconcileEnabled = false;
  /**
   * Decided once per run after `reconcileEnabled` (patch `flex-reconcile-adaptive`): true, reads back off and hold
   * off while webhooks arrive (reconcile-policy.ts); false, every interval as before.
   */
  adaptiveReconcile?: boolean;
  private readonly seen: Set<string>;

  private constructor(
    readonly user: DiscordUserRef,
    readonly timings: SupportTimings,
    readonly preferThread: boolean,
    public state: CarriedState,
  ) {
    this.seen = new Set(state.seenEventIds);
  }

  static start(input: SupportWorkflowInput, episodeKey: string, now: number): ConversationModel {
    if (input.resume) {
      return new ConversationModel(input.user, input.timings, input.preferThread, {
        ...input.resume,
        run: input.resume.run + 1,
      });
    }
    return new ConversationModel(
      input.user,
      input.timings,
      input.preferThread,
      freshState(episodeKey, now, 1, input.channel),
    );
  }

  get phase(): SupportPhase {
    return this.state.phase;
  }

  /** Queues an event unless its idempotency key was seen before; returns whether it was new. */
  receive(item: InboxItem): boolean {
    if (!this.markSeen(item)) return false;
    this.inbox.push(item);
    this.eventsThisRun += 1;
    return true;
  }

  /**
   * Puts the queued agent messages that carry their Flex index into index order, in the places agent messages hold
   * in the queue (everything else keeps its place): what reconciliation found goes before later webhooks' messages.
   */
  orderAgentMessagesByIndex(): void {
    const places: number[] = [];
    const messages: Extract<InboxItem, { kind: 'agent_message' }>[] = [];
    this.inbox.forEach((item, place) => {
      if (item.kind !== 'agent_message' || item.event.index === undefined) return;
      places.push(place);
      messages.push(item);
    });
    messages.sort((a, b) => a.event.index! - b.event.index!);
    places.forEach((place, k) => (this.inbox[place] = messages[k]!));
  }

  /**
   * Records an event's idempotency key without queueing it, for one the main loop handles at once (a message read
   * from Flex that must go out before the one being handled); returns whether it was new.
   */
  markSeen(item: InboxItem): boolean {
    const id = `${item.kind}:${item.event.eventId}`;
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (item.kind === 'user_message' && !item.event.beforeCatchUp) this.sawDiscordMessage(item.event.eventId);
    this.state.seenEventIds.push(id);
    if (this.state.seenEventIds.length > MAX_SEEN_EVENT_IDS) {
      const dropped = this.state.seenEventIds.shift();
      if (dropped !== undefined) this.seen.delete(dropped);
    }
    return true;
  }

  /**
   * Whether the user wrote this Discord message in this conversation, as far back as the seen-ids window goes: only
   * such a message's edit or deletion means anything here (not a staff member's in the thread, nor the bot's).
   */
  sawUserMessage(messageId: string): boolean {
    return this.seen.has(`user_message:${messageId}`);
  }

  /** A closed conversation that hears from the user again starts a fresh one on the same channel. */
  reopen(episodeKey: string, now: number): void {
    const { channel, seenEventIds, pendingRating, run, discordCursor, locale } = this.state;
    // The user's language carries over to their next conversation, unless the /helpme that opens it says otherwise.
    this.state = {
      ...freshState(episodeKey, now, run, channel),
      seenEventIds,
      pendingRating,
      ...(discordCursor ? { discordCursor } : {}),
      ...(locale ? { locale } : {}),
    };
  }

  /** Moves the Discord cursor past a message the user wrote (ids are snowflakes: later means larger). */
  private sawDiscordMessage(messageId: string): void {
    if (!/^\d{1,20}$/.test(messageId)) return;
    const cursor = this.state.discordCursor;
    if (cursor === undefined || isAfter(messageId, cursor)) this.state.discordCursor = messageId;
  }

  touch(now: number): void {
    this.state.lastActivityAt = now;
    this.state.reminderSent = false;
  }

  ratingWindowMs(): number {
    return (this.timings.ratingWindowSeconds ?? DEFAULT_RATING_WINDOW_SECONDS) * 1000;
  }

  /** The next moment a timer must fire (reminder, inactivity close, SLA, end of the rating window), if any. */
  nextDeadline(): number | undefined {
    const deadlines = [
      this.reminderAt(),
      this.inactivityCloseAt(),
      this.slaAt(),
      this.state.pendingRating?.until,
      this.reconcileAt(),
    ];
    const set = deadlines.filter((d): d is number => d !== undefined);
    return set.length > 0 ? Math.min(...set) : undefined;
  }

  reminderAt(): number | undefined {
    const { inactivityReminderSeconds, inactivitySeconds } = this.timings;
    if (!this.inactivityApplies() || this.state.reminderSent) return undefined;
    if (inactivityReminderSeconds <= 0 || inactivityReminderSeconds >= inactivitySeconds) return undefined;
    return this.state.lastActivityAt + inactivityReminderSeconds * 1000;
  }

  inactivityCloseAt(): number | undefined {
    return this.inactivityApplies()
      ? this.state.lastActivityAt + this.timings.inactivitySeconds * 1000
      : undefined;
  }

  slaAt(): number | undefined {
    const { phase, waitingSince, escalated } = this.state;
    if (phase !== 'waiting_for_agent' || waitingSince === undefined || escalated) return undefined;
    return waitingSince + this.timings.agentSlaSeconds * 1000;
  }

  /** Whether the conversation is with Flex now, so that Flex could have said something the webhooks lost. */
  wantsReconcile(): boolean {
    const { phase, flexConversation } = this.state;
    return (
      (phase === 'waiting_for_agent' || phase === 'with_agent') &&
      flexConversation !== undefined &&
      this.reconcileIntervalMs() > 0
    );
  }

  reconcileAt(): number | undefined {
    if (!this.reconcileEnabled || !this.wantsReconcile()) return undefined;
    if (this.adaptiveReconcile) {
      const clock = this.state.flexReconcileClock;
      return clock && nextReadAt(this.reconcilePolicy(), clock, this.state.flexHeardAt);
    }
    const since = this.state.flexReconciledAt ?? this.state.waitingSince;
    return since === undefined ? undefined : since + this.reconcileIntervalMs();
  }

  reconcilePolicy(): ReconcilePolicy {
    const { flexReconcileSeconds, flexReconcileMaxSeconds } = this.timings;
    return reconcilePolicy(flexReconcileSeconds ?? DEFAULT_FLEX_RECONCILE_SECONDS, flexReconcileMaxSeconds);
  }

  /**
   * Starts the adaptive schedule once Flex has the conversation: the first read one (jittered) interval after the
   * hand-over. `random` must replay exactly (see `stableUnit`).
   */
  startReconcileClock(now: number, random: () => number): void {
    if (!this.adaptiveReconcile || !this.wantsReconcile() || this.state.flexReconcileClock) return;
    const since = this.state.flexReconciledAt ?? this.state.waitingSince ?? now;
    this.state.flexReconcileClock = firstRead(this.reconcilePolicy(), since, random);
  }

  /**
   * What jitter for a read at `now` is drawn from: the conversation's guild and user (from the input, so the same
   * on any replay) and the time.
   */
  jitterKey(now: number): string {
    return `${this.user.guildId}:${this.user.userId}:${now}`;
  }

  /** After a read at `now` that found `missed` events the webhooks had not delivered. */
  reconciled(now: number, missed: number, random: () => number): void {
    this.state.flexReconciledAt = now;
    if (this.adaptiveReconcile)
      this.state.flexReconcileClock = afterRead(
        this.reconcilePolicy(),
        this.state.flexReconcileClock,
        now,
        missed,
        random,
      );
  }

  private reconcileIntervalMs(): number {
    return (this.timings.flexReconcileSeconds ?? DEFAULT_FLEX_RECONCILE_SECONDS) * 1000;
  }

  /** Nobody closes a conversation for silence while the user is waiting for an agent: the SLA covers that. */
  private inactivityApplies(): boolean {
    return this.state.phase === 'bot' || this.state.phase === 'with_agent';
  }

  isFinished(): boolean {
    return (
      this.state.phase === 'closed' &&
      this.state.pendingRating === undefined &&
      this.inbox.length === 0 &&
      !this.greetingPending
    );
  }

  view(): ConversationState {
    const { phase, channel, caseNumber, agent, flexConversation, discordCursor } = this.state;
    return {
      phase,
      user: this.user,
      channel,
      caseNumber,
      agent,
      twilioConversationSid: flexConversation?.conversationSid,
      ...(discordCursor ? { discordCursor } : {}),
    };
  }

  /** The state for continue-as-new; the inbox must be empty by then. */
  carry(): CarriedState {
    return { ...this.state, seenEventIds: [...this.state.seenEventIds] };
  }
}

function freshState(episodeKey: string, now: number, run: number, channel?: DiscordChannelRef): CarriedState {
  return {
    episodeKey,
    phase: 'bot',
    channel,
    // Until the user writes, whatever they write after this moment is news to the conversation.
    discordCursor: snowflakeAt(now),
    seenEventIds: [],
    lastActivityAt: now,
    reminderSent: false,
    escalated: false,
    botTranscript: [],
    suggestedArticles: [],
    greeted: false,
    run,
    startedAt: now,
  };
}
