import { log, patched, uuid4 } from '@temporalio/workflow';
import type { TranscriptEntry } from '../../shared/case-types';
import type { ConversationRecord } from '../../shared/conversation-record';
import type {
  AgentJoinedEvent,
  AgentMessageEvent,
  CloseReason,
  FlexClosedEvent,
  OutboundDiscordMessage,
  RatingEvent,
  UserMessageEvent,
} from '../../shared/support-types';
import type { FlexUpdates } from '../../activities/twilio/port';
import { liveTaskBesides, tasksFingerprint } from '../../shared/flex-tasks';
import {
  cases,
  discord,
  failureMessage,
  flex,
  flexEstimate,
  flexGapRead,
  flexReconcile,
  flexTasks,
  isDmClosed,
  isSetupFailure,
  kb,
  localTranscript,
  stats,
} from './activities';
import { agentKey, sameAgent } from '../../shared/agent-identity';
import { foreignHandoff } from './flex-origin';
import { stableUnit } from './reconcile-policy';
import { isHumanRequest } from './human-request';
import { isHumanRequestIn } from './human-request-locales';
import { filesGoAsMedia, relayMessageWithFiles } from './customer-files';
import { MessageRevisions } from './message-revisions';
import { publishConversation } from './publish';
import { staffNotesForTask } from './staff-notes';
import {
  type ConversationMilestone,
  MAX_BOT_TRANSCRIPT,
  MAX_SUGGESTED_ARTICLES,
  type ConversationModel,
  type InboxItem,
} from './state';
import {
  agentEntry,
  appendBounded,
  botEntry,
  caseDescription,
  caseTitle,
  flexTaskAttributes,
  systemEntry,
  userEntry,
} from './transcript';
import { wordingFor, type Wording } from './wording';

/** Flex task priority after an SLA breach (TaskRouter: higher is served first; new tasks start at 0). */
export const ESCALATED_TASK_PRIORITY = 100;
const ARTICLES_PER_ANSWER = 3;
/** The SLA notice quotes TaskRouter's live wait; runs recorded before it quoted the SLA setting. */
const SLA_LIVE_WAIT = 'sla-live-wait';
/** Each part of a long message is its own `sendToDiscord` step; before, one step posted every part. */
const SEND_PARTS = 'discord-send-parts';
/** Reconciliation also reads the interaction channel, so a task canceled in Flex closes the conversation. */
const RECONCILE_CHANNEL = 'flex-reconcile-channel';
/** Each conversation's milestones go to the case database for support analytics; runs before it record none. */
const CONVERSATION_STATS = 'conversation-stats';
/** Flex closes and joins that name another conversation or channel than the current handoff are ignored. */
const FLEX_EVENT_ORIGIN = 'flex-event-origin';
/**
 * Transfers: a task's close counts only when no other task of the channel is live, on both paths, and a new agent
 * is introduced as "You're now talking with…".
 */
const FLEX_TRANSFERS = 'flex-transfers';
/** Each person (agent, supervisor, a transfer's new agent) is announced once per conversation, by `agentKey`. */
const AGENT_ONCE = 'agent-once';
/** New Flex conversations name the customer by an HMAC of the Discord user id, not the id. */
const OPAQUE_IDENTITY = 'twilio-opaque-identity';
/**
 * An agent's message whose Index skips one the workflow has not reached makes it read Flex first and relay the
 * missing messages (lost webhooks) before it; before, they went out after it, at the next reconciliation.
 */
const FLEX_MESSAGE_ORDER = 'flex-message-order';
/**
 * What a reconciliation read finds is queued in Flex's order among the agent messages whose webhooks arrived while
 * the read was in flight; before, it went behind them.
 */
const FLEX_RECONCILE_ORDER = 'flex-reconcile-order';
/**
 * Transcript lines are written by a local activity inside the workflow task that has them: a relayed message costs
 * one activity and one workflow task less. Runs before it scheduled `appendTranscript` as an activity.
 */
const TRANSCRIPT_LOCAL = 'transcript-local-activity';
/**
 * The read for a lost reply's gap retries for about a minute (`flexGapRead`) instead of three quick tries, so a
 * struggling Twilio does not let the next reply go out first.
 */
const FLEX_GAP_READ = 'flex-gap-read';

/**
 * Whether Flex ended the handoff while the conversation stayed open: its newest task finished (with the same event
 * id the TaskRouter webhook would have carried, so a late webhook is a duplicate), or its channel closed or failed.
 * A canceled task (a workflow timeout, say) leaves the user with nobody coming: the conversation must close.
 */
function handoffEnded(
  updates: FlexUpdates,
  channelSid: string,
  transfers: boolean,
): FlexClosedEvent | undefined {
  const channelEnded = updates.channelStatus === 'closed' || updates.channelStatus === 'failed';
  // A transfer or an invite may leave several tasks on an open channel: while any is live, someone is (or will be)
  // with the user, whatever the newest one says.
  if (transfers && !channelEnded && liveTaskBesides(updates.tasks ?? [])) return undefined;
  const task = updates.task;
  const taskSid = task?.sid;
  if (task?.status === 'canceled')
    return { eventId: `${task.sid}:task.canceled`, reason: 'task_canceled', taskSid };
  if (task?.status === 'completed')
    return { eventId: `${task.sid}:task.completed`, reason: 'task_completed', taskSid };
  if (task?.status === 'wrapping')
    return { eventId: `${task.sid}:task.wrapup`, reason: 'agent_closed', taskSid };
  if (channelEnded) return { eventId: `${channelSid}:${updates.channelStatus}`, reason: 'task_canceled' };
  return undefined;
}

/**
 * Everything the main loop does in response to one event or timer, with its I/O. A failed Discord or Flex call
 * (after its retries) is logged and the conversation goes on; a failed hand-over closes it with `flex_failed`.
 */
export class ConversationActions {
  /** The analytics records in flight, chained so they reach the database in the order they happened. */
  private records: Promise<void> = Promise.resolve();
  /** The id of this run's last post in each channel: where a retried send starts looking for its own message. */
  private readonly lastPosted = new Map<string, string>();

  private readonly revisions: MessageRevisions;

  constructor(
    private readonly model: ConversationModel,
    private readonly workflowId: string,
  ) {
    this.revisions = new MessageRevisions({
      model,
      appendTranscript: (entries) => this.appendTranscript(entries),
    });
  }

  private get s() {
    return this.model.state;
  }

  /** What the conversation says, in its language. */
  private get say(): Wording {
    return wordingFor(this.s.locale);
  }

  async handle(item: InboxItem): Promise<void> {
    // A Flex event the webhooks delivered shows they work: reconciliation holds off a little.
    const fromFlex =
      item.kind === 'agent_joined' || item.kind === 'agent_message' || item.kind === 'flex_closed';
    if (fromFlex && !item.viaReconcile) this.s.flexHeardAt = Date.now();
    switch (item.kind) {
      case 'user_message':
        return this.onUserMessage(item.event);
      case 'request_human':
        return this.onHumanRequested(item.event.eventId);
      case 'user_close':
        return this.close('user_closed', this.model.user.userName);
      case 'rating':
        return this.onRating(item.event);
      case 'agent_joined':
        return this.onAgentJoined(item.event);
      case 'agent_message':
        return this.onAgentMessage(item.event);
      case 'flex_closed':
        return this.onFlexClosed(item.event);
      case 'reopen':
        return this.reopenIfClosed();
      case 'user_edit':
        return this.revisions.onUserEdit(item.event);
      case 'user_delete':
        return this.revisions.onUserDelete(item.event);
      case 'agent_edit':
        return this.revisions.onAgentEdit(item.event);
      case 'agent_remove':
        return this.revisions.onAgentRemove(item.event);
    }
  }

  async greet(): Promise<void> {
    await this.send({
      kind: 'notice',
      dedupeKey: `${this.s.episodeKey}:greeting`,
      text: this.say.GREETING,
      buttons: ['request_human'],
    });
    this.recordMilestone('started');
  }

  async fireDueTimers(now: number): Promise<void> {
    const { model } = this;
    const rating = this.s.pendingRating;
    if (rating && now >= rating.until) this.s.pendingRating = undefined;

    const closeAt = model.inactivityCloseAt();
    if (closeAt !== undefined && now >= closeAt) return this.close('inactivity', 'flexcord');

    const remindAt = model.reminderAt();
    if (remindAt !== undefined && now >= remindAt) {
      this.s.reminderSent = true;
      const minutesLeft = Math.ceil(((closeAt ?? now) - now) / 60_000);
      await this.send({
        kind: 'notice',
        dedupeKey: `${this.s.episodeKey}:reminder:${this.s.lastActivityAt}`,
        text: this.say.inactivityReminder(minutesLeft),
        buttons: ['close'],
      });
    }

    const slaAt = model.slaAt();
    if (slaAt !== undefined && now >= slaAt) await this.escalate();

    const reconcileAt = model.reconcileAt();
    if (reconcileAt !== undefined && now >= reconcileAt) await this.reconcileWithFlex(now);
  }

  /**
   * Twilio does not redeliver a webhook that failed (the webhook server was down, say), so every so often the
   * workflow reads the conversation itself. What it finds is queued as the same events, with the same ids
   * (MessageSid, ParticipantSid, the conversation's close), that the webhooks send: whatever already arrived is a
   * duplicate and changes nothing; whatever was lost is handled now, in order.
   */
  private async reconcileWithFlex(now: number): Promise<void> {
    const conversation = this.s.flexConversation!;
    const handoff = this.s.handoff && patched(RECONCILE_CHANNEL) ? this.s.handoff : undefined;
    const adaptive = this.model.adaptiveReconcile === true;
    this.s.flexReconciledAt = now;
    let updates: Awaited<ReturnType<typeof flexReconcile.fetchFlexUpdates>>;
    try {
      updates = await flexReconcile.fetchFlexUpdates({
        conversation,
        afterMessageIndex: this.s.flexMessageCursor,
        ...(handoff ? { handoff } : {}),
        // What this conversation knows lets the adapter skip reads that could tell nothing new.
        ...(adaptive
          ? {
              known: {
                agentKeys: this.announcedAgents(),
                ...(this.s.flexTasksSeen !== undefined ? { tasks: this.s.flexTasksSeen } : {}),
              },
            }
          : {}),
      });
    } catch (err) {
      log.warn('could not read the Flex conversation; trying again at the next tick', { error: String(err) });
      // A failed read backs off like a quiet one: when Twilio struggles, asking less helps.
      this.model.reconciled(now, 0, this.jitterAt(now));
      return;
    }
    // Closed or moved on while the read was in flight: what it found belongs to the previous conversation.
    if (this.s.flexConversation?.conversationSid !== conversation.conversationSid) return;
    if (updates.lastMessageIndex !== undefined)
      this.s.flexMessageCursor = Math.max(this.s.flexMessageCursor ?? -1, updates.lastMessageIndex);

    let missed = 0;
    const queue = (item: InboxItem) => {
      if (!this.model.receive({ ...item, viaReconcile: true })) return;
      missed += 1;
      log.info('reconciliation found a missed event', { kind: item.kind });
    };
    for (const agent of updates.agents) {
      // Read before the participant webhook arrived, this join is news, but the name TaskRouter gave stays.
      const known = sameAgent(this.s.agent?.identity, agent.identity) ? this.s.agent!.name : undefined;
      queue({
        kind: 'agent_joined',
        event: {
          eventId: agent.participantSid,
          agentIdentity: agent.identity,
          agentName: known ?? agent.name,
          conversationSid: conversation.conversationSid,
        },
      });
    }
    const inFlexOrder = patched(FLEX_RECONCILE_ORDER);
    for (const { index, ...message } of updates.messages) {
      // The name TaskRouter gave when the agent joined beats the one read from the identity.
      const known = sameAgent(this.s.agent?.identity, message.agentIdentity) ? this.s.agent!.name : undefined;
      queue({
        kind: 'agent_message',
        event: { ...message, agentName: known ?? message.agentName, ...(inFlexOrder ? { index } : {}) },
      });
    }
    // A webhook that arrived during the read is queued already; what the read found may come before it.
    if (inFlexOrder) this.model.orderAgentMessagesByIndex();
    if (updates.state === 'closed') {
      queue({
        kind: 'flex_closed',
        event: {
          eventId: `${conversation.conversationSid}:closed`,
          reason: 'agent_closed',
          conversationSid: conversation.conversationSid,
        },
      });
    } else if (handoff) {
      const ended = handoffEnded(updates, handoff.channelSid, patched(FLEX_TRANSFERS));
      if (ended)
        queue({
          kind: 'flex_closed',
          event: { ...ended, conversationSid: conversation.conversationSid, channelSid: handoff.channelSid },
        });
    }
    if (adaptive) {
      if (updates.tasks) this.s.flexTasksSeen = tasksFingerprint(updates.tasks);
      this.model.reconciled(now, missed, this.jitterAt(now));
    }
  }

  /** Jitter for the read at `now`: different per conversation and per read, the same on replay. */
  private jitterAt(now: number): () => number {
    return () => stableUnit(this.model.jitterKey(now));
  }

  private reopenIfClosed(): void {
    if (this.s.phase !== 'closed') return;
    this.model.reopen(uuid4(), Date.now());
    publishConversation(this.model);
  }

  private async onUserMessage(event: UserMessageEvent): Promise<void> {
    this.reopenIfClosed();
    this.model.touch(Date.now());
    const entry = userEntry(this.model.user, event);

    if (this.s.phase === 'bot') {
      this.s.botTranscript = appendBounded(this.s.botTranscript, entry, MAX_BOT_TRANSCRIPT);
      // The user's own language counts too (conversations from before languages have none, so they replay as they ran).
      if (isHumanRequest(event.text) || isHumanRequestIn(this.s.locale, event.text)) return this.transfer();
      return this.answer(event);
    }

    const conversation = this.s.flexConversation;
    if (conversation && filesGoAsMedia(event)) return this.relayWithFiles(conversation, event, entry);
    await this.appendTranscript([entry]);
    if (!conversation) return;
    try {
      const { messageSid, index } = await flex.postCustomerMessage({
        conversation,
        text: event.text,
        attachments: event.attachments,
        dedupeKey: event.eventId,
      });
      this.revisions.rememberToFlex(event.eventId, { text: messageSid, files: [] });
      // The customer's messages take their places among the indexes too: the next agent message follows on.
      if (index !== undefined && patched(FLEX_MESSAGE_ORDER)) this.reachedFlexIndex(index);
    } catch (err) {
      log.warn('could not relay a user message to Flex', { eventId: event.eventId, error: String(err) });
    }
  }

  /**
   * Text and files to Flex as Flex takes them (files as media, one per message); the transcript keeps each file's
   * durable Twilio reference, and the user hears plainly about any file the agent will not get.
   */
  private async relayWithFiles(
    conversation: NonNullable<typeof this.s.flexConversation>,
    event: UserMessageEvent,
    entry: TranscriptEntry,
  ): Promise<void> {
    const relayed = await relayMessageWithFiles(conversation, event);
    this.revisions.rememberToFlex(event.eventId, {
      ...(relayed.textSid ? { text: relayed.textSid } : {}),
      files: relayed.fileSids,
    });
    await this.appendTranscript([{ ...entry, attachments: relayed.attachments }]);
    for (const [i, { attachment, limits }] of relayed.refused.entries()) {
      await this.send({
        kind: 'notice',
        dedupeKey: `${event.eventId}:file-refused:${i}`,
        text: this.say.fileRefused(attachment, limits),
      });
    }
  }

  /** The FAQ bot: best articles, or an honest "nothing good" with the way to a person. */
  private async answer(event: UserMessageEvent): Promise<void> {
    let text: string;
    let hits: Awaited<ReturnType<typeof kb.searchKnowledgeBase>> = [];
    try {
      hits = await kb.searchKnowledgeBase({
        query: event.text,
        limit: ARTICLES_PER_ANSWER,
        ...(this.s.locale ? { locale: this.s.locale } : {}),
      });
      text = hits.length > 0 ? this.say.FOUND_ARTICLES : this.say.NOTHING_FOUND;
    } catch (err) {
      log.warn('knowledge-base search failed', { error: String(err) });
      text = this.say.SEARCH_UNAVAILABLE;
    }
    const dedupeKey = `bot:${event.eventId}`;
    await this.send(
      hits.length > 0
        ? { kind: 'bot_answer', dedupeKey, text, articles: hits, buttons: ['request_human', 'close'] }
        : { kind: 'notice', dedupeKey, text, buttons: ['request_human'] },
    );
    const known = new Set(this.s.suggestedArticles.map((a) => a.id));
    this.s.suggestedArticles = [...this.s.suggestedArticles, ...hits.filter((h) => !known.has(h.id))].slice(
      -MAX_SUGGESTED_ARTICLES,
    );
    this.s.botTranscript = appendBounded(
      this.s.botTranscript,
      botEntry(dedupeKey, text, hits, new Date()),
      MAX_BOT_TRANSCRIPT,
    );
    if (hits.length > 0) this.recordMilestone('kb_answered', { kbAnsweredAt: Date.now() });
    else this.recordMilestone('started');
  }

  private async onHumanRequested(eventId: string): Promise<void> {
    // A "Talk to a human" press after a close is a new request: it gets a new conversation and case.
    this.reopenIfClosed();
    if (this.s.phase === 'bot') {
      this.model.touch(Date.now());
      return this.transfer();
    }
    await this.send({
      kind: 'notice',
      dedupeKey: `already:${eventId}`,
      text: this.s.phase === 'with_agent' ? this.say.ALREADY_WITH_AGENT : this.say.ALREADY_WAITING,
    });
  }

  /** Case first (so nothing is lost), then the user hears the number, then Flex gets the conversation and task. */
  private async transfer(): Promise<void> {
    const { user } = this.model;
    const key = this.s.episodeKey;
    const requestedAt = Date.now();
    this.s.phase = 'waiting_for_agent';
    publishConversation(this.model);
    try {
      const { caseNumber } = await cases.openCase({
        idempotencyKey: `${this.workflowId}:${key}`,
        type: 'support',
        guildId: user.guildId,
        reporter: { discordId: user.userId, name: user.userName },
        title: caseTitle(this.s.botTranscript, user),
        description: caseDescription(this.s.botTranscript),
        suggestedArticles: this.s.suggestedArticles,
        transcript: this.s.botTranscript,
        priority: 'normal',
        workflowId: this.workflowId,
      });
      this.s.caseNumber = caseNumber;
      this.s.botTranscript = [];
      publishConversation(this.model);
    } catch (err) {
      log.error('could not open a case', { error: String(err) });
      this.s.phase = 'bot';
      publishConversation(this.model);
      await this.send({
        kind: 'notice',
        dedupeKey: `${key}:case-failed:${uuid4()}`,
        text: this.say.CASE_FAILED,
      });
      return;
    }

    const caseNumber = this.s.caseNumber;
    await this.send({
      kind: 'notice',
      dedupeKey: `${key}:case-opened`,
      text: this.say.caseOpened(caseNumber),
      buttons: ['close'],
    });
    this.recordMilestone('human_requested', { humanRequestedAt: requestedAt, caseNumber });
    try {
      await cases.updateCase({
        caseNumber,
        changes: { status: 'waiting_for_agent' },
        event: { eventId: `${key}:transfer`, actor: 'flexcord', action: 'handed_to_flex' },
      });
      const conversation = await flex.ensureFlexConversation({
        workflowId: this.workflowId,
        user,
        channel: this.s.channel!,
        caseNumber,
        // Histories from before opaque identities asked for `discord:<user id>`; the identity the activity returns
        // is kept in state (flexConversation), so a conversation opened either way goes on as it began.
        ...(patched(OPAQUE_IDENTITY) ? { opaqueIdentity: true } : {}),
      });
      this.s.flexConversation = conversation;
      publishConversation(this.model);
      const transcript = await cases.getCaseTranscript({ caseNumber });
      const staffNotes = await staffNotesForTask(user);
      const handoff = await flex.handToFlex({
        conversation,
        workflowId: this.workflowId,
        caseNumber,
        taskAttributes: flexTaskAttributes({
          locale: this.s.locale,
          caseNumber,
          user,
          workflowId: this.workflowId,
          title: caseTitle(transcript, user),
          articles: this.s.suggestedArticles,
          transcript,
          staffNotes,
        }),
      });
      this.s.handoff = handoff;
      this.s.waitingSince = Date.now();
      await cases.updateCase({
        caseNumber,
        changes: {
          twilioConversationSid: conversation.conversationSid,
          twilioInteractionSid: handoff.interactionSid,
          twilioChannelSid: handoff.channelSid,
        },
        event: {
          eventId: `${key}:flex`,
          actor: 'flexcord',
          action: 'flex_task_created',
          detail: handoff.interactionSid,
        },
      });
    } catch (err) {
      log.error('hand-over to Flex failed', { caseNumber, error: String(err) });
      await this.close('flex_failed', 'flexcord');
    }
  }

  /** Flex ended the handoff (conversation closed, task wrapped up, completed or canceled): close, if it is ours. */
  private async onFlexClosed(event: FlexClosedEvent): Promise<void> {
    if (this.isForeign('close', event)) return;
    if (await this.taskSupersededByTransfer(event)) return;
    await this.close(event.reason, 'agent');
  }

  /**
   * A TaskRouter close (wrap-up, completion, cancellation) of one task while another task of the same channel is
   * live is a transfer (the first agent leaving after inviting the next) or a declined invite, not the end.
   * TaskRouter's webhooks do not say so: the channel's tasks are read. If they cannot be, the event counts.
   */
  private async taskSupersededByTransfer(event: FlexClosedEvent): Promise<boolean> {
    const handoff = this.s.handoff;
    if (this.s.phase === 'closed' || !handoff || event.taskSid === undefined || !patched(FLEX_TRANSFERS))
      return false;
    try {
      const tasks = await flexTasks.listFlexTasks({ handoff });
      const live = liveTaskBesides(tasks, event.taskSid);
      if (live)
        log.info('Flex task ended while another task of the channel is live (a transfer): not a close', {
          eventId: event.eventId,
          liveTask: live.sid,
        });
      return live !== undefined;
    } catch (err) {
      log.warn('could not read the Flex channel tasks; taking the close as it came', { error: String(err) });
      return false;
    }
  }

  /** True (and logged) when a Flex event names another conversation or channel than the current handoff. */
  private isForeign(what: string, event: AgentJoinedEvent | FlexClosedEvent): boolean {
    if (!patched(FLEX_EVENT_ORIGIN)) return false;
    const foreign = foreignHandoff(event, this.s);
    if (foreign)
      log.info(`Flex ${what} for another handoff ignored`, { eventId: event.eventId, why: foreign });
    return foreign !== undefined;
  }

  private async onAgentJoined(event: AgentJoinedEvent): Promise<void> {
    if (this.isForeign('join', event)) return;
    if (this.s.phase === 'closed' || this.s.caseNumber === undefined) {
      log.warn('agent joined a conversation that has no open case', { eventId: event.eventId });
      return;
    }
    const joinedAt = Date.now();
    if (patched(AGENT_ONCE)) {
      await this.joinOnce(event);
      this.recordMilestone('agent_joined', { agentJoinedAt: joinedAt });
      return;
    }
    const previous = this.s.agent;
    const sameAgent = previous?.identity === event.agentIdentity;
    this.s.phase = 'with_agent';
    this.s.agent = { identity: event.agentIdentity, name: event.agentName };
    this.model.touch(Date.now());
    publishConversation(this.model);
    if (sameAgent) return;
    const text =
      previous && patched(FLEX_TRANSFERS)
        ? this.say.nowTalkingWith(event.agentName)
        : this.say.agentJoined(event.agentName);
    await this.send({ kind: 'notice', dedupeKey: `agent-joined:${event.eventId}`, text, buttons: ['close'] });
    await this.appendTranscript([systemEntry(`agent-joined:${event.eventId}`, text, new Date())]);
    await this.updateCase(
      { status: 'in_progress', assignedAgent: event.agentIdentity },
      { eventId: `agent-joined:${event.eventId}`, actor: event.agentIdentity, action: 'agent_joined' },
    );
    this.recordMilestone('agent_joined', { agentJoinedAt: joinedAt });
  }

  /** People already introduced in this conversation; before the patch, only the current agent was remembered. */
  private announcedAgents(): string[] {
    return this.s.announcedAgents ?? (this.s.agent ? [agentKey(this.s.agent.identity)] : []);
  }

  /**
   * A join from any of Flex's sources (participant webhook, TaskRouter's reservation.accepted, reconciliation, a
   * first message): the first person is introduced as joining, each later new one as who the user talks with now;
   * someone already introduced only becomes the current agent again (a transfer back), quietly.
   */
  private async joinOnce(event: AgentJoinedEvent): Promise<void> {
    const key = agentKey(event.agentIdentity);
    const announced = this.announcedAgents();
    this.s.phase = 'with_agent';
    // The same person keeps the identity they were introduced with; TaskRouter's name for them (the worker's full
    // name; its events name their task) beats the one read from a Conversations identity.
    if (!sameAgent(this.s.agent?.identity, event.agentIdentity))
      this.s.agent = { identity: event.agentIdentity, name: event.agentName };
    else if (event.taskSid !== undefined) this.s.agent = { ...this.s.agent!, name: event.agentName };
    this.model.touch(Date.now());
    if (announced.includes(key)) {
      publishConversation(this.model);
      return;
    }
    this.s.announcedAgents = [...announced, key];
    publishConversation(this.model);
    const name = this.s.agent!.name;
    const text = announced.length === 0 ? this.say.agentJoined(name) : this.say.nowTalkingWith(name);
    await this.send({ kind: 'notice', dedupeKey: `agent-joined:${event.eventId}`, text, buttons: ['close'] });
    await this.appendTranscript([systemEntry(`agent-joined:${event.eventId}`, text, new Date())]);
    await this.updateCase(
      { status: 'in_progress', assignedAgent: this.s.agent!.identity },
      { eventId: `agent-joined:${event.eventId}`, actor: this.s.agent!.identity, action: 'agent_joined' },
    );
  }

  private async onAgentMessage(event: AgentMessageEvent): Promise<void> {
    if (this.s.phase === 'closed' || this.s.caseNumber === undefined) {
      log.warn('agent message for a conversation that has no open case', { eventId: event.eventId });
      return;
    }
    const { index, ...message } = event;
    // Only webhooks carry the index (reconciliation's finds are already in order), and signals from before it none.
    if (index === undefined || !patched(FLEX_MESSAGE_ORDER)) return this.relayAgentMessage(message);
    await this.relayMissedBefore(index);
    await this.relayAgentMessage(message);
    this.reachedFlexIndex(index);
  }

  /**
   * Twilio numbers a conversation's messages in the order it received them. A message whose index is past the next
   * one the workflow knows of may have a predecessor whose webhook was lost (or the numbers merely skip, which
   * Twilio allows): read Flex from the cursor and relay what is missing first, oldest first, so the user reads the
   * agent's messages in the order they were written. The read tries for about a minute (patch `flex-gap-read`);
   * one that still fails leaves them to reconciliation, as before.
   */
  private async relayMissedBefore(index: number): Promise<void> {
    const conversation = this.s.flexConversation;
    const cursor = this.s.flexMessageCursor;
    // Nothing read yet (the cursor is unknown): read, as reconciliation's first read would, and the cursor is set.
    if (!conversation || (cursor !== undefined && index <= cursor + 1)) return;
    let updates: Awaited<ReturnType<typeof flexReconcile.fetchFlexUpdates>>;
    try {
      // Only the messages matter here: what the workflow knows spares the reads that could tell nothing new.
      updates = await (patched(FLEX_GAP_READ) ? flexGapRead : flexReconcile).fetchFlexUpdates({
        conversation,
        afterMessageIndex: cursor,
        known: { agentKeys: this.announcedAgents() },
      });
    } catch (err) {
      log.warn('could not read the Flex conversation for messages before this one', { error: String(err) });
      return;
    }
    if (this.s.flexConversation?.conversationSid !== conversation.conversationSid) return;
    for (const { index: found, ...missed } of updates.messages) {
      if (found >= index) break;
      const known = sameAgent(this.s.agent?.identity, missed.agentIdentity) ? this.s.agent!.name : undefined;
      const item = {
        kind: 'agent_message' as const,
        event: { ...missed, agentName: known ?? missed.agentName },
      };
      if (!this.model.markSeen(item)) continue;
      log.info('found a message whose webhook was lost, before the next one', { eventId: missed.eventId });
      await this.relayAgentMessage(item.event);
    }
    // Everything before `index` has been read now; later messages are left to their webhooks and reconciliation.
    this.s.flexMessageCursor = Math.max(this.s.flexMessageCursor ?? -1, index - 1);
  }

  /** Moves the cursor over a message handled in order: the next one along, or one a read already passed. */
  private reachedFlexIndex(index: number): void {
    const cursor = this.s.flexMessageCursor;
    if (cursor !== undefined && index === cursor + 1) this.s.flexMessageCursor = index;
  }

  private async relayAgentMessage(event: AgentMessageEvent): Promise<void> {
    // Webhooks can arrive out of order: a message from an agent means the agent is here. Someone already
    // introduced (an agent and a supervisor taking turns) is not introduced again.
    const unannounced = patched(AGENT_ONCE)
      ? !this.announcedAgents().includes(agentKey(event.agentIdentity))
      : this.s.agent?.identity !== event.agentIdentity;
    if (unannounced) {
      await this.onAgentJoined({
        eventId: `${event.eventId}:join`,
        agentIdentity: event.agentIdentity,
        agentName: event.agentName,
      });
    }
    const repliedAt = Date.now();
    this.model.touch(repliedAt);
    const posted = await this.send({
      kind: 'agent_message',
      dedupeKey: event.eventId,
      text: event.text,
      agentName: event.agentName,
      attachments: event.attachments,
    });
    this.revisions.rememberToDiscord(event.eventId, posted);
    await this.appendTranscript([agentEntry(event)]);
    this.recordMilestone('first_agent_reply', { firstAgentReplyAt: repliedAt });
  }

  private async escalate(): Promise<void> {
    this.s.escalated = true;
    publishConversation(this.model);
    if (patched(SLA_LIVE_WAIT)) {
      // Priority first, so the place in the queue the user hears is the one after the raise.
      await this.raiseTaskPriority();
      await this.send({
        kind: 'notice',
        dedupeKey: `${this.s.episodeKey}:sla`,
        text: await this.slaNotice(),
      });
    } else {
      const minutes = Math.max(1, Math.ceil(this.model.timings.agentSlaSeconds / 60));
      await this.send({
        kind: 'notice',
        dedupeKey: `${this.s.episodeKey}:sla`,
        text: this.say.slaBreached(minutes),
      });
      await this.raiseTaskPriority();
    }
    const caseNumber = this.s.caseNumber;
    if (caseNumber !== undefined) {
      await this.updateCase(
        { priority: 'high' },
        {
          eventId: `${this.s.episodeKey}:sla`,
          actor: 'flexcord',
          action: 'escalated',
          detail: 'agent SLA missed',
        },
      );
    }
  }

  private async raiseTaskPriority(): Promise<void> {
    if (!this.s.handoff) return;
    try {
      await flex.escalateFlexTask({ handoff: this.s.handoff, priority: ESCALATED_TASK_PRIORITY });
    } catch (err) {
      log.warn('could not raise the Flex task priority', { error: String(err) });
    }
  }

  /** TaskRouter's live wait when it has one; otherwise the SLA setting stands in for it, as before. */
  private async slaNotice(): Promise<string> {
    const fallback = this.say.slaBreached(Math.max(1, Math.ceil(this.model.timings.agentSlaSeconds / 60)));
    if (!this.s.handoff) return fallback;
    try {
      const estimate = await flexEstimate.estimateAgentWait({ handoff: this.s.handoff });
      if (estimate.seconds === undefined) return fallback;
      return this.say.slaBreachedLive(Math.max(1, Math.ceil(estimate.seconds / 60)), estimate.position);
    } catch (err) {
      log.warn('could not estimate the wait from TaskRouter; quoting the SLA', { error: String(err) });
      return fallback;
    }
  }

  /** Closes once, whoever asks: Flex side, case (reason), user notice, then the rating offer. */
  private async close(reason: CloseReason, actor: string): Promise<void> {
    if (this.s.phase === 'closed') return;
    const key = this.s.episodeKey;
    const closedAt = Date.now();
    this.s.phase = 'closed';
    this.s.closeReason = reason;
    publishConversation(this.model);

    if (this.s.flexConversation) {
      try {
        await flex.closeFlexConversation({ conversation: this.s.flexConversation, handoff: this.s.handoff });
      } catch (err) {
        log.warn('could not close the Flex side', { error: String(err) });
      }
    }
    const caseNumber = this.s.caseNumber;
    const text = this.say.closed(reason, caseNumber);
    if (caseNumber !== undefined) {
      await this.appendTranscript([systemEntry(`${key}:closed`, text, new Date())]);
      await this.updateCaseNumber(
        caseNumber,
        { status: 'closed', closeReason: reason },
        { eventId: `${key}:closed`, actor, action: 'closed', detail: reason },
      );
    }
    await this.send({ kind: 'notice', dedupeKey: `${key}:closed`, text });
    if (caseNumber !== undefined) {
      await this.send({
        kind: 'rating_prompt',
        dedupeKey: `${key}:rating-prompt`,
        text: this.say.RATING_PROMPT,
        buttons: ['rating'],
      });
      this.s.pendingRating = { caseNumber, until: Date.now() + this.model.ratingWindowMs() };
    }
    this.recordMilestone('closed', { closedAt, closeReason: reason });
  }

  private async onRating(event: RatingEvent): Promise<void> {
    const pending = this.s.pendingRating;
    if (!pending) {
      log.info('rating outside the rating window ignored', { eventId: event.eventId });
      return;
    }
    this.s.pendingRating = undefined;
    await this.updateCaseNumber(
      pending.caseNumber,
      { rating: event.rating },
      {
        eventId: event.eventId,
        actor: this.model.user.userName,
        action: 'rated',
        detail: `${event.rating}/5`,
      },
    );
    await this.send({
      kind: 'notice',
      dedupeKey: `rated:${event.eventId}`,
      text: this.say.ratingThanks(event.rating),
    });
  }

  /**
   * Records a milestone of this conversation for support analytics, once per conversation. The record runs beside
   * the conversation (one after the other, in order), never in its way: no message waits for it, and losing one
   * (the database is down for long) costs a statistic, never a message. `flushRecords` waits for them.
   */
  private recordMilestone(
    milestone: ConversationMilestone,
    times: Omit<Partial<ConversationRecord>, 'conversationId' | 'workflowId' | 'guildId' | 'userId'> = {},
  ): void {
    const recorded = this.s.statsRecorded ?? [];
    if (recorded.includes(milestone) || !patched(CONVERSATION_STATS)) return;
    // Any record starts the conversation's row, so it also counts as `started`.
    this.s.statsRecorded = [...new Set<ConversationMilestone>([...recorded, 'started', milestone])];
    this.s.startedAt ??= Date.now();
    const { user } = this.model;
    const record: ConversationRecord = {
      conversationId: `${this.workflowId}:${this.s.episodeKey}`,
      workflowId: this.workflowId,
      guildId: user.guildId,
      userId: user.userId,
      startedAt: this.s.startedAt,
      ...times,
    };
    this.records = this.records
      .then(() => stats.recordConversation(record))
      .catch((err: unknown) =>
        log.warn('could not record the conversation for support analytics', {
          milestone,
          error: String(err),
        }),
      );
  }

  /** Waits for the analytics records still running: before the workflow ends or continues as new. */
  async flushRecords(): Promise<void> {
    await this.records;
  }

  /**
   * Posts to the user; when their DMs turn out to be closed, moves the conversation to a private thread. Returns
   * the ids of the Discord messages posted (none when posting failed).
   */
  private async send(input: Omit<OutboundDiscordMessage, 'channel'>): Promise<string[]> {
    const channel = this.s.channel!;
    // Its buttons name this conversation: the user's DM channel may carry their conversations of other servers too.
    const { guildId, userId } = this.model.user;
    const message = { ...input, conversation: { guildId, userId } };
    try {
      const ids = await this.deliver({
        ...message,
        channel,
        ...(this.s.locale ? { locale: this.s.locale } : {}),
      });
      this.model.setupProblem = undefined;
      return ids;
    } catch (err) {
      if (!isDmClosed(err) || channel.kind !== 'dm') {
        if (isSetupFailure(err)) this.model.setupProblem = failureMessage(err);
        log.warn('could not post to Discord', { dedupeKey: message.dedupeKey, error: String(err) });
        return [];
      }
      try {
        this.s.channel = await discord().openSupportChannel({ user: this.model.user, preferThread: true });
        publishConversation(this.model);
        const ids = await this.deliver({
          ...message,
          channel: this.s.channel,
          ...(this.s.locale ? { locale: this.s.locale } : {}),
        });
        this.model.setupProblem = undefined;
        return ids;
      } catch (fallbackErr) {
        if (isSetupFailure(fallbackErr)) this.model.setupProblem = failureMessage(fallbackErr);
        log.error('could not reach the user by DM or thread', { error: String(fallbackErr) });
        return [];
      }
    }
  }

  /**
   * One message, one part per step: a part confirmed by Discord is never sent again, and a retried part looks for
   * its own post after the previous one (Discord's nonce only guards a few minutes; relays retry for hours).
   */
  private async deliver(message: OutboundDiscordMessage): Promise<string[]> {
    if (!patched(SEND_PARTS)) return (await discord().sendToDiscord(message)).messageIds;
    const channelId = message.channel.channelId;
    let after = this.lastPosted.get(channelId);
    const ids: string[] = [];
    for (let part = 0, parts = 1; part < parts; part++) {
      const sent = await discord().sendToDiscord({ ...message, part, ...(after ? { after } : {}) });
      parts = sent.parts ?? 1;
      ids.push(...sent.messageIds);
      after = sent.messageIds.at(-1) ?? after;
    }
    if (after) this.lastPosted.set(channelId, after);
    return ids;
  }

  private async appendTranscript(entries: TranscriptEntry[]): Promise<void> {
    const caseNumber = this.s.caseNumber;
    if (caseNumber === undefined) return;
    try {
      if (patched(TRANSCRIPT_LOCAL)) await localTranscript.appendTranscript({ caseNumber, entries });
      else await cases.appendTranscript({ caseNumber, entries });
    } catch (err) {
      log.error('could not append to the case transcript', { caseNumber, error: String(err) });
    }
  }

  private async updateCase(
    changes: Parameters<typeof cases.updateCase>[0]['changes'],
    event: Parameters<typeof cases.updateCase>[0]['event'],
  ): Promise<void> {
    if (this.s.caseNumber === undefined) return;
    await this.updateCaseNumber(this.s.caseNumber, changes, event);
  }

  private async updateCaseNumber(
    caseNumber: number,
    changes: Parameters<typeof cases.updateCase>[0]['changes'],
    event: Parameters<typeof cases.updateCase>[0]['event'],
  ): Promise<void> {
    try {
      await cases.updateCase({ caseNumber, changes, event });
    } catch (err) {
      log.error('could not update the case', { caseNumber, action: event.action, error: String(err) });
    }
  }
}
