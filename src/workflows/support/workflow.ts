import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  agentJoinedSignal,
  agentMessageSignal,
  conversationStateQuery,
  flexClosedSignal,
  openConversationUpdate,
  ratingSignal,
  requestHumanSignal,
  userCloseSignal,
  userMessageSignal,
} from '../../shared/support-messages';
import type { CloseReason, OpenConversationResult } from '../../shared/support-types';
import { DEFAULT_LOCALE } from '../../shared/i18n/locales';
import {
  agentMessageEditedSignal,
  agentMessageRemovedSignal,
  userMessageDeletedSignal,
  userMessageEditedSignal,
} from '../../shared/message-changes';
import { SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';
import { discord, failureMessage, isSetupFailure } from './activities';
import { ConversationActions } from './actions';
import { publishConversation } from './publish';
import { ConversationModel, type InboxItem, type SupportWorkflowInput } from './state';
import { stableUnit } from './reconcile-policy';
import { inTraceContextOf, rememberTraceContext } from './trace-context';

export type { SupportWorkflowInput, CarriedState } from './state';

const HELPME_ANSWERS_AFTER_GREETING = 'helpme-answers-after-greeting';
/** The conversation's language is part of its state; runs recorded before it spoke English throughout. */
const CONVERSATION_LOCALE = 'conversation-locale';
/** `/helpme` fails with the server's setup problem when the conversation cannot reach the user because of it. */
const HELPME_SETUP_ERRORS = 'helpme-setup-errors';
/** Reading Flex for what lost webhooks would have said; runs recorded before it have no such timer. */
const FLEX_RECONCILE = 'flex-reconcile';
/** Reconciliation backs off, holds off while webhooks arrive and reads only what it must (reconcile-policy.ts). */
const FLEX_RECONCILE_ADAPTIVE = 'flex-reconcile-adaptive';
/**
 * The loop's timer stays while the next deadline only moves later (every message moves the inactivity deadline):
 * it fires early, the loop finds nothing due and sets the next one. Runs before it cancelled and started a timer
 * on every turn of the loop, two commands and two history events per message.
 */
const KEPT_LOOP_TIMER = 'kept-loop-timer';

export interface SupportOutcome {
  caseNumber?: number;
  closeReason?: CloseReason | string;
}

/**
 * One Discord user's support conversation in one guild, from the first question to the rating: the FAQ bot, the
 * hand-over to a Twilio Flex agent, the relay both ways, the close and the rating. Handlers only queue events (each
 * deduplicated by its idempotency key); this loop does the I/O in order, fires the durable timers (inactivity
 * reminder and close, agent SLA, rating window) and continues-as-new with a small state when history grows.
 */
export async function supportConversationWorkflow(input: SupportWorkflowInput): Promise<SupportOutcome> {
  const model = ConversationModel.start(input, uuid4(), Date.now());
  // The conversation speaks the user's language from its first word; runs from before languages speak English.
  if (!input.resume && patched(CONVERSATION_LOCALE)) model.state.locale = input.locale ?? DEFAULT_LOCALE;
  const act = new ConversationActions(model, workflowInfo().workflowId);

  registerHandlers(model);
  publishConversation(model);

  if (!model.state.channel) {
    try {
      model.state.channel = await discord().openSupportChannel({
        user: model.user,
        preferThread: model.preferThread,
      });
      publishConversation(model);
    } catch (err) {
      if (isSetupFailure(err)) model.setupProblem = failureMessage(err);
      model.fatal = `could not open a support channel: ${failureMessage(err)}`;
      log.error('support conversation cannot start', { error: model.fatal });
      await condition(allHandlersFinished);
      return {};
    }
  }

  const continueAsNewDue = () =>
    workflowInfo().continueAsNewSuggested ||
    (input.continueAsNewAfterEvents !== undefined && model.eventsThisRun >= input.continueAsNewAfterEvents);

  // Decided once per run: a run recorded before the patch keeps a timer per turn throughout.
  const loopTimer = patched(KEPT_LOOP_TIMER) ? new LoopTimer() : undefined;
  for (;;) {
    // Asked only once Flex has the conversation, so the marker lands where the behaviour starts.
    if (!model.reconcileEnabled && model.wantsReconcile() && patched(FLEX_RECONCILE))
      model.reconcileEnabled = true;
    if (model.reconcileEnabled && model.adaptiveReconcile === undefined)
      model.adaptiveReconcile = patched(FLEX_RECONCILE_ADAPTIVE);
    model.startReconcileClock(Date.now(), () => stableUnit(model.jitterKey(Date.now())));
    const deadline = model.nextDeadline();
    const hasWork = () =>
      model.inbox.length > 0 || model.greetingPending || model.isFinished() || continueAsNewDue();
    if (loopTimer) await loopTimer.waitFor(hasWork, deadline);
    else if (deadline === undefined) await condition(hasWork);
    // At least 1 ms: `condition(fn, 0)` would record a patch marker for an SDK compatibility path.
    else await condition(hasWork, Math.max(1, deadline - Date.now()));

    if (model.greetingPending) {
      model.greetingPending = false;
      model.greetingInFlight = true;
      await act.greet();
      model.greetingInFlight = false;
    }
    for (let item = model.inbox.shift(); item !== undefined; item = model.inbox.shift()) {
      const next = item;
      await inTraceContextOf(next, () => act.handle(next));
    }
    await act.fireDueTimers(Date.now());

    // Analytics records still running finish first. Whatever arrives meanwhile (a /helpme that reopens the
    // conversation waits for this loop) is handled at the next turn instead of waited on.
    if (model.isFinished()) {
      await act.flushRecords();
      await condition(() => allHandlersFinished() || !model.isFinished());
      if (model.isFinished() && allHandlersFinished())
        return { caseNumber: model.state.caseNumber, closeReason: model.state.closeReason };
    }
    if (continueAsNewDue() && model.inbox.length === 0 && !model.greetingPending) {
      await act.flushRecords();
      await condition(() => allHandlersFinished() || model.inbox.length > 0 || model.greetingPending);
      if (allHandlersFinished() && model.inbox.length === 0 && !model.greetingPending) {
        const { resume: _previous, ...start } = input;
        await continueAsNew<typeof supportConversationWorkflow>({ ...start, resume: model.carry() });
      }
    }
  }
}

function registerHandlers(model: ConversationModel): void {
  const queue = (item: InboxItem) => {
    if (!model.receive(item))
      log.info('duplicate event ignored', { kind: item.kind, eventId: item.event.eventId });
    else rememberTraceContext(item);
  };
  setHandler(userMessageSignal, (event) => queue({ kind: 'user_message', event }));
  setHandler(requestHumanSignal, (event) => queue({ kind: 'request_human', event }));
  setHandler(userCloseSignal, (event) => queue({ kind: 'user_close', event }));
  setHandler(ratingSignal, (event) => queue({ kind: 'rating', event }));
  setHandler(agentJoinedSignal, (event) => queue({ kind: 'agent_joined', event }));
  setHandler(agentMessageSignal, (event) => queue({ kind: 'agent_message', event }));
  setHandler(flexClosedSignal, (event) => queue({ kind: 'flex_closed', event }));
  setHandler(userMessageEditedSignal, (event) => queue({ kind: 'user_edit', event }));
  setHandler(userMessageDeletedSignal, (event) => queue({ kind: 'user_delete', event }));
  setHandler(agentMessageEditedSignal, (event) => queue({ kind: 'agent_edit', event }));
  setHandler(agentMessageRemovedSignal, (event) => queue({ kind: 'agent_remove', event }));
  setHandler(conversationStateQuery, () => model.view());
  setHandler(openConversationUpdate, async (start): Promise<OpenConversationResult> => {
    let created = false;
    if (model.phase === 'closed') {
      // `/helpme` after a close: a new conversation on the same channel, with its own case. The main loop does the
      // switch, so a close still in progress finishes on the old case first.
      const previous = model.state.episodeKey;
      model.receive({ kind: 'reopen', event: { eventId: uuid4() } });
      await condition(() => model.state.episodeKey !== previous);
      created = true;
    } else if (!model.state.greeted) {
      // Nothing said yet in this conversation: this call is what started it.
      created =
        model.inbox.length === 0 &&
        model.state.botTranscript.length === 0 &&
        model.state.caseNumber === undefined;
    }
    if (created) {
      model.state.greeted = true;
      model.greetingPending = true;
      // The /helpme that (re)opens the conversation sets its language, greeting included.
      if (start?.locale) model.state.locale = start.locale;
      // The greeting is what finds out that the user's DMs are closed and moves to a thread: answer `/helpme`
      // after it, so the link points where the conversation really is. Patched: older runs answered at once.
      if (patched(HELPME_ANSWERS_AFTER_GREETING)) {
        // A conversation that could not even open its channel never greets: answer with why instead of waiting.
        await condition(
          () => (!model.greetingPending && !model.greetingInFlight) || model.fatal !== undefined,
        );
      }
    }
    await condition(() => model.state.channel !== undefined || model.fatal !== undefined);
    // A server that is not set up for flexcord: say so now (the bot tells the user what an admin must do) instead
    // of pointing the user at a DM or thread they cannot read. Patched: older runs answered with the DM link.
    const problem = model.setupProblem;
    if (problem !== undefined && patched(HELPME_SETUP_ERRORS)) {
      model.setupProblem = undefined;
      // Greet again on the next /helpme, once an admin has fixed the server.
      if (model.state.channel) model.state.greeted = false;
      throw ApplicationFailure.nonRetryable(problem, SUPPORT_FAILURE_TYPES.discordSetup);
    }
    if (!model.state.channel)
      throw ApplicationFailure.nonRetryable(model.fatal ?? 'no channel', 'NoSupportChannel');
    return { channel: model.state.channel, phase: model.phase, created };
  });
}

/**
 * The main loop's one durable timer. A deadline that moved later keeps the timer (it fires early, harmlessly: the
 * loop acts only on what is due); one that moved earlier replaces it. So a busy conversation does not cancel and
 * start a timer per message, and a quiet one still wakes when something is due.
 */
class LoopTimer {
  private timer?: { at: number; scope: CancellationScope; fired: boolean };

  /** Waits until there is work or the timer fires. */
  async waitFor(hasWork: () => boolean, deadline: number | undefined): Promise<void> {
    const timer = this.timerFor(deadline);
    await condition(() => hasWork() || timer?.fired === true);
  }

  private timerFor(deadline: number | undefined): LoopTimer['timer'] {
    const current = this.timer;
    if (deadline === undefined) return current && !current.fired ? current : undefined;
    if (current && !current.fired && current.at <= deadline) return current;
    if (current && !current.fired) current.scope.cancel();
    const scope = new CancellationScope();
    const timer = { at: deadline, scope, fired: false };
    // At least 1 ms, as `condition` needs: a deadline already passed fires at once.
    scope
      .run(() => sleep(Math.max(1, deadline - Date.now())))
      .then(
        () => (timer.fired = true),
        () => undefined, // cancelled: an earlier deadline took its place
      );
    this.timer = timer;
    return timer;
  }
}
