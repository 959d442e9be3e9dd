import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import { type ActivityInterceptorsFactory } from '@temporalio/worker';
import { redactDeep, safeCause, scrubText } from '../logging/safe-error';

/**
 * What an activity may hand to Temporal when it fails: the same failure, with safe fields only. Temporal stores a
 * failure's message, stack and cause chain in the workflow history and the pending-activity info the UI shows, and
 * the worker logs the thrown object whole; an error from an HTTP client carries its request, credentials included.
 * Adapters already build safe failures; this is the boundary every activity passes, for anything they did not.
 */
export function toSafeActivityFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) {
    const safe = ApplicationFailure.create({
      type: err.type ?? undefined,
      message: scrubText(err.message),
      nonRetryable: err.nonRetryable ?? undefined,
      details: err.details ? (redactDeep(err.details) as unknown[]) : undefined,
      nextRetryDelay: err.nextRetryDelay ?? undefined,
      category: err.category ?? undefined,
      cause: err.cause ? safeCause(err.cause) : undefined,
    });
    safe.stack = err.stack;
    return safe;
  }
  // Cancellation and other Temporal failures steer the SDK itself; they carry no request.
  if (err instanceof TemporalFailure) return err;
  // A plain error keeps its name, so Temporal classifies and retries it exactly as before.
  return safeCause(err);
}

/** The worker's outermost activity interceptor: every failure leaves the activity through toSafeActivityFailure. */
export const safeActivityFailures: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (err) {
        throw toSafeActivityFailure(err);
      }
    },
  },
});
