import { ApplicationFailure, type Duration } from '@temporalio/common';
import { safeCause } from '../../logging/safe-error';
import { SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';
import { TwilioApiError } from './twilio-api-error';

const TOO_MANY_REQUESTS_CODE = 20429;

/**
 * Turns whatever a Twilio call threw into what Temporal should do next:
 * - 429 / 20429, 5xx and network failures stay retryable, with Twilio's Retry-After as the next delay;
 * - any other 4xx is permanent: retrying a bad request or a missing resource only burns quota.
 */
export function toActivityFailure(err: unknown, operation: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof TwilioApiError) {
    const what = `${operation}: Twilio answered ${err.status}${err.code ? ` (code ${err.code})` : ''} to ${err.method} ${err.path}: ${err.message}${err.moreInfo ? ` (see ${err.moreInfo})` : ''}`;
    const details = [{ status: err.status, code: err.code, moreInfo: err.moreInfo }];
    if (isRetryable(err)) {
      return ApplicationFailure.create({
        type: 'TwilioRetryable',
        message: what,
        details,
        nextRetryDelay: retryDelay(err.retryAfterSeconds),
      });
    }
    const type =
      err.status === 401 || err.status === 403
        ? SUPPORT_FAILURE_TYPES.forbidden
        : SUPPORT_FAILURE_TYPES.badRequest;
    return ApplicationFailure.create({
      type,
      message: what,
      details,
      nonRetryable: true,
    });
  }
  // The network error keeps its name, code and message as the cause, never the request it hangs on (axios errors
  // carry the request config, Authorization header included).
  const cause = safeCause(err);
  return ApplicationFailure.create({
    type: 'TwilioUnreachable',
    message: `${operation}: could not reach Twilio: ${cause.message}`,
    cause,
  });
}

/**
 * Twilio's Retry-After as the next delay. A zero one is left to the retry policy's backoff: with a next-retry delay of
 * 0s the dev server did not retry the activity at all, and the user's message was given up.
 */
function retryDelay(retryAfterSeconds: number | undefined): Duration | undefined {
  return retryAfterSeconds !== undefined && retryAfterSeconds > 0 ? `${retryAfterSeconds}s` : undefined;
}

export function isRetryable(err: TwilioApiError): boolean {
  return err.status === 429 || err.code === TOO_MANY_REQUESTS_CODE || err.status >= 500;
}
