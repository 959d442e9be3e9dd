import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';
import { safeCause } from '../../logging/safe-error';
import { SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';
import { DiscordSetupError, setupErrorFailure, setupFailure } from './setup-errors';

/** Discord error 50007: the user does not accept DMs from the bot; the workflow falls back to a private thread. */
export const DM_CLOSED_CODE = 50007;
export const DISCORD_DM_CLOSED = SUPPORT_FAILURE_TYPES.discordDmClosed;

export function isDmClosed(err: unknown): boolean {
  return err instanceof DiscordAPIError && err.code === DM_CLOSED_CODE;
}

/** Discord error 10008: the message does not exist (any more). */
export const UNKNOWN_MESSAGE_CODE = 10008;

export function isUnknownMessage(err: unknown): boolean {
  return err instanceof DiscordAPIError && err.code === UNKNOWN_MESSAGE_CODE;
}

/** Discord error 40033: the message was already published to following servers. */
export const ALREADY_CROSSPOSTED_CODE = 40033;

export function isAlreadyCrossposted(err: unknown): boolean {
  return err instanceof DiscordAPIError && err.code === ALREADY_CROSSPOSTED_CODE;
}

/**
 * Maps a Discord REST failure onto Temporal's retry rules: rate limits retry after Discord's own retry_after,
 * server errors and network errors retry with backoff, other 4xx are permanent (retrying cannot fix them).
 */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof RateLimitError) {
    return ApplicationFailure.create({
      type: 'DiscordRateLimited',
      message: `Discord rate limit on ${err.route}; retry after ${err.retryAfter} ms`,
      nextRetryDelay: Math.max(err.retryAfter, 1),
    });
  }
  if (err instanceof DiscordSetupError) return setupErrorFailure(err);
  if (err instanceof DiscordAPIError) {
    if (err.code === DM_CLOSED_CODE) {
      return ApplicationFailure.create({ type: DISCORD_DM_CLOSED, message: err.message, nonRetryable: true });
    }
    const setup = setupFailure(err);
    if (setup) return setup;
    if (err.status >= 400 && err.status < 500 && err.status !== 429) {
      return ApplicationFailure.create({
        type:
          err.status === 401 || err.status === 403
            ? SUPPORT_FAILURE_TYPES.forbidden
            : SUPPORT_FAILURE_TYPES.badRequest,
        message: `${err.method.toUpperCase()} ${new URL(err.url).pathname} → ${err.status} (code ${err.code}): ${err.message}`,
        nonRetryable: true,
        details: [{ status: err.status, code: err.code }],
      });
    }
    return ApplicationFailure.create({
      type: 'DiscordUnavailable',
      message: err.message,
      cause: safeCause(err),
    });
  }
  if (err instanceof HTTPError) {
    return ApplicationFailure.create({ type: 'DiscordUnavailable', message: `${err.status} ${err.message}` });
  }
  // Failures already decided on (an adapter's own ApplicationFailure) pass through as they are.
  if (err instanceof TemporalFailure) return err;
  // Network errors and anything unexpected: let Temporal retry with its backoff, with only the error's safe fields
  // (the name is kept, so retry rules by type still match).
  return safeCause(err);
}
