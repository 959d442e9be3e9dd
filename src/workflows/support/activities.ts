import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { SupportActivities } from '../../activities/support-activity-types';
import { NON_RETRYABLE_SUPPORT_FAILURES, SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';

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

export const discord = proxyActivities<Pick<SupportActivities, 'openSupportChannel' | 'sendToDiscord'>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: RELAY_RETRY_WINDOW,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes,
  },
});

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

/** The case store is ours and must not lose a line: retry longer. */
export const cases = proxyActivities<
  Pick<SupportActivities, 'openCase' | 'appendTranscript' | 'updateCase' | 'getCaseTranscript'>
>({
  startToCloseTimeout: '20 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 20,
    nonRetryableErrorTypes,
  },
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

export function failureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}
