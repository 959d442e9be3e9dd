import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import { safeCause } from '../../logging/safe-error';
import { FeedFetchError, FeedParseError, FeedRefusedError, FeedTimeoutError } from './rss-feed-reader';

export const FEED_FAILURE_TYPES = {
  unavailable: 'FeedUnavailable',
  rejected: 'FeedRejected',
  refused: 'FeedRefused',
  invalid: 'FeedInvalid',
  noChannel: 'AnnouncementChannelMissing',
  /** Discord's hourly publish limit: the post stays, uncrossposted. */
  crosspostLimited: 'CrosspostLimited',
} as const;

/**
 * Feed failures on Temporal's retry rules: 429, 408, 5xx and timeouts retry (after Retry-After when sent), other
 * 4xx, unparsable bodies and refused feeds (scheme, address, redirects, size) are permanent for this poll (the next
 * scheduled poll tries again anyway), network errors retry.
 */
export function toFeedFailure(err: unknown): unknown {
  if (err instanceof FeedFetchError) {
    const transient = err.status === 408 || err.status === 429 || err.status >= 500;
    return ApplicationFailure.create({
      type: transient ? FEED_FAILURE_TYPES.unavailable : FEED_FAILURE_TYPES.rejected,
      message: err.message,
      nonRetryable: !transient,
      ...(transient && err.retryAfterMs !== undefined
        ? { nextRetryDelay: Math.max(err.retryAfterMs, 1) }
        : {}),
      details: [{ status: err.status }],
    });
  }
  if (err instanceof FeedTimeoutError) {
    return ApplicationFailure.create({ type: FEED_FAILURE_TYPES.unavailable, message: err.message });
  }
  if (err instanceof FeedRefusedError) {
    return ApplicationFailure.create({
      type: FEED_FAILURE_TYPES.refused,
      message: err.message,
      nonRetryable: true,
    });
  }
  if (err instanceof FeedParseError) {
    return ApplicationFailure.create({
      type: FEED_FAILURE_TYPES.invalid,
      message: err.message,
      nonRetryable: true,
    });
  }
  // Network errors retry; only their safe fields travel (a feed URL may carry credentials of its own).
  return err instanceof TemporalFailure ? err : safeCause(err);
}
