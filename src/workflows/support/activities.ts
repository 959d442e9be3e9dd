import {
  type ActivityOptions,
  type RetryPolicy,
  ActivityFailure,
  ApplicationFailure,
  patched,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { SupportActivities } from '../../activities/support-activity-types';
import { NON_RETRYABLE_SUPPORT_FAILURES, SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';
import { discordSendTaskQueue } from '../../shared/task-queue';

/*
 * The support workflow's view of its activities, with retry policies per integration. 429, 5xx and network errors
 * retry with capped exponential backoff (an adapter's `nextRetryDelay` from Retry-After takes precedence);
 * the named failure types never retry.
 */

const nonRetryableErrorTypes = NON_RETRYABLE_SUPPORT_FAILURES;

/**
 * A message between a user and an agent must not be dropped because Discord or Twilio was down for a while: relays
 * keep retrying (at most a minute apart) for hours, and the conversation's loop waits, so later messages still go
 * out in order once the service is back.
 */
const RELAY_RETRY_WINDOW = '6 hours';

type DiscordSends = Pick<SupportActivities, 'openSupportChannel' | 'sendToDiscord'>;

const DISCORD_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: RELAY_RETRY_WINDOW,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes,
  },
};

/** Runs recorded before the send queue scheduled these on the conversation's own task queue. */
const DISCORD_SEND_QUEUE = 'discord-send-queue';

/**
 * Discord's global rate limit belongs to the bot, not to a worker process: posts (and the DM or thread a
 * conversation opens) go to the send queue, which the Temporal server dispatches at the bot's rate across all
 * workers (see src/app/roles/worker-role.ts). Time spent waiting there counts against `scheduleToCloseTimeout`,
 * which is hours, so a burst waits instead of failing.
 */
export function discord(): DiscordSends {
  if (!patched(DISCORD_SEND_QUEUE)) return proxyActivities<DiscordSends>(DISCORD_OPTIONS);
  return proxyActivities<DiscordSends>({
    ...DISCORD_OPTIONS,
    taskQueue: discordSendTaskQueue(workflowInfo().taskQueue),
  });
}

export const flex = proxyActivities<
  Pick<
    SupportActivities,
    | 'ensureFlexConversation'
    | 'postCustomerMessage'
    | 'handToFlex'
    | 'escalateFlexTask'
    | 'closeFlexConversation'
  >
>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: RELAY_RETRY_WINDOW,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes,
  },
});

/**
 * Reconciliation asks again at its next tick anyway: a few quick tries, so a Twilio outage never holds up the
 * conversation's loop for long.
 */
export const flexReconcile = proxyActivities<Pick<SupportActivities, 'fetchFlexUpdates'>>({
  startToCloseTimeout: '20 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 3,
    nonRetryableErrorTypes,
  },
});

/**
 * The read for a reply whose webhook was lost, made before the reply after it goes out (the conversation's later
 * messages wait meanwhile). Three quick tries failed too often under a struggling Twilio (at 20% failing requests,
 * a third of the reads), so this one keeps trying for about a minute; after that the newer reply goes out and
 * reconciliation brings the lost one later, out of order but not lost.
 */
export const flexGapRead = proxyActivities<Pick<SupportActivities, 'fetchFlexUpdates'>>({
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '90 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes,
  },
});

/**
 * Before a TaskRouter close is believed, the channel's tasks are read (a transfer leaves a newer live task): a few
 * quick tries, so a close is not held up for long when Twilio is slow.
 */
export const flexTasks = proxyActivities<Pick<SupportActivities, 'listFlexTasks'>>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 3,
    nonRetryableErrorTypes,
  },
});

/**
 * The live wait estimate only improves the SLA notice, which falls back to the SLA-based wording: a couple of quick
 * tries, so the user hears something promptly.
 */
export const flexEstimate = proxyActivities<Pick<SupportActivities, 'estimateAgentWait'>>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '2 seconds',
    maximumAttempts: 2,
    nonRetryableErrorTypes,
  },
});

/** The case store is ours and must not lose a line: retry longer (its activities and the local transcript write). */
const caseStoreRetry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  maximumAttempts: 20,
  nonRetryableErrorTypes,
};

export const cases = proxyActivities<
  Pick<SupportActivities, 'openCase' | 'appendTranscript' | 'updateCase' | 'getCaseTranscript'>
>({
  startToCloseTimeout: '20 seconds',
  retry: caseStoreRetry,
});

/**
 * The transcript write as a local activity: the case store is the worker's own database, so the line is written by
 * the worker that runs the workflow task, inside that task, and history keeps one marker instead of an activity's
 * three events plus a workflow task to hear its result. The write is idempotent by entry id, which a local activity
 * needs (it runs again if its workflow task is lost). Same retries as `cases`; backoffs over 10 s wait in a timer.
 */
export const localTranscript = proxyLocalActivities<Pick<SupportActivities, 'appendTranscript'>>({
  startToCloseTimeout: '20 seconds',
  localRetryThreshold: '10 seconds',
  retry: caseStoreRetry,
});

/** Support analytics never hold up a conversation: a few quick tries, then the milestone is logged as lost. */
export const stats = proxyActivities<Pick<SupportActivities, 'recordConversation'>>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '5 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes,
  },
});

/** A slow search is worth less than a quick "I can't search right now". */
export const kb = proxyActivities<Pick<SupportActivities, 'searchKnowledgeBase'>>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    maximumInterval: '2 seconds',
    maximumAttempts: 3,
    nonRetryableErrorTypes,
  },
});

export function isDmClosed(err: unknown): boolean {
  return failureType(err) === SUPPORT_FAILURE_TYPES.discordDmClosed;
}

/** The server is not set up for flexcord (a missing channel or permission): only an operator can fix it. */
export function isSetupFailure(err: unknown): boolean {
  return failureType(err) === SUPPORT_FAILURE_TYPES.discordSetup;
}

/** What went wrong, from the activity's own failure rather than Temporal's "Activity task failed" wrapper. */
export function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof Error ? cause.message : String(err);
}

export function failureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}
