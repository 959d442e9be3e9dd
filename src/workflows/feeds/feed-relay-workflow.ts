import { ActivityFailure, ApplicationFailure, log, patched, proxyActivities } from '@temporalio/workflow';
import type { FeedActivities } from '../../activities/feeds/activities';
import type { FeedRelayFeedResult, FeedRelayInput, FeedRelayResult } from '../../shared/feed-relay';

// A poll gives up on a feed quickly: the schedule polls again soon, and one slow feed must not hold up the others.
const feeds = proxyActivities<Pick<FeedActivities, 'fetchNewFeedItems'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds', maximumAttempts: 3 },
});
const discord = proxyActivities<
  Pick<
    FeedActivities,
    | 'resolveAnnouncementChannel'
    | 'postFeedItem'
    | 'announceFeedItem'
    | 'crosspostFeedItem'
    | 'recordFeedItemPosted'
  >
>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 8 },
});
// Crossposting is best effort (Discord limits publishing per channel per hour): a few quick tries, never a wait
// that could carry the run past its deadline.
const crosspost = proxyActivities<Pick<FeedActivities, 'crosspostFeedItem'>>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '4 seconds', maximumAttempts: 3 },
});

/**
 * Each item is posted and recorded in one activity, and crossposted afterwards at best; before it, the item was
 * recorded only after its crosspost, so a failing crosspost (or a run timing out) re-posted it at the next poll.
 */
const POST_ONCE = 'feed-post-once';

/**
 * One poll of the official feeds, started by the `feed-relay` schedule: each item not yet announced is posted to
 * the announcements channel once (claimed in the ledger, posted, recorded in one step; a retry or a later run finds
 * an earlier post instead of posting again), then crossposted at best when the channel is an announcement channel.
 * A failing feed is reported in the result and does not stop the others.
 */
export async function feedRelayWorkflow(input: FeedRelayInput): Promise<FeedRelayResult> {
  const postOnce = patched(POST_ONCE);
  const channel = await discord.resolveAnnouncementChannel({
    guildId: input.guildId,
    channelName: input.channelName,
  });
  const results: FeedRelayFeedResult[] = [];
  for (const feedUrl of input.feedUrls) {
    const result: FeedRelayFeedResult = { feedUrl, posted: 0, baselined: 0 };
    results.push(result);
    try {
      const fresh = await feeds.fetchNewFeedItems({
        feedUrl,
        limit: input.maxItemsPerFeed ?? 10,
        firstPollLimit: input.firstPollLimit ?? 5,
      });
      result.baselined = fresh.baselined;
      for (const item of fresh.items) {
        if (postOnce) {
          const { messageId } = await discord.announceFeedItem({
            channelId: channel.channelId,
            feedUrl,
            feedTitle: fresh.feedTitle,
            item,
          });
          result.posted++;
          if (channel.announcement && !(await crosspostAtBest(channel.channelId, messageId)))
            result.crosspostFailed = (result.crosspostFailed ?? 0) + 1;
          continue;
        }
        const { messageId } = await discord.postFeedItem({
          channelId: channel.channelId,
          feedUrl,
          feedTitle: fresh.feedTitle,
          item,
        });
        if (channel.announcement)
          await discord.crosspostFeedItem({ channelId: channel.channelId, messageId });
        await discord.recordFeedItemPosted({ feedUrl, itemId: item.id, messageId });
        result.posted++;
      }
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      result.error = describe(err);
      log.warn('feed skipped this poll', { feedUrl, error: result.error });
    }
  }
  return { channelId: channel.channelId, crossposted: channel.announcement, feeds: results };
}

/** Crossposts a posted announcement; a failure is logged and counted, never fatal: the post itself stands. */
async function crosspostAtBest(channelId: string, messageId: string): Promise<boolean> {
  try {
    await crosspost.crosspostFeedItem({ channelId, messageId });
    return true;
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    log.warn('announcement posted but not crossposted', { messageId, error: describe(err) });
    return false;
  }
}

function describe(err: ActivityFailure): string {
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause?.message ?? err.message;
}
