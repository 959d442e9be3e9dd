import { ApplicationFailure } from '@temporalio/common';
import { toActivityFailure } from '../discord/errors';
import { announcementBody } from '../discord/render-message';
import { type DiscordPort } from '../discord/port';
import { announcementDedupeKey, announcementEmbed } from './announcement';
import { FEED_FAILURE_TYPES, toFeedFailure } from './failures';
import { type FeedItem, type FeedLedger, type FeedReader } from './port';

export interface FeedActivityDeps {
  feedReader: FeedReader;
  feedLedger: FeedLedger;
  discord: DiscordPort;
}

export interface AnnouncementChannel {
  channelId: string;
  /** Posts in an announcement channel are crossposted to the servers that follow it. */
  announcement: boolean;
}

export interface NewFeedItems {
  feedTitle?: string;
  /** Not yet announced, oldest first, at most `limit`. */
  items: FeedItem[];
  /** Items recorded as skipped without a post (a feed's back catalogue the first time it is seen). */
  baselined: number;
}

async function mapped<T>(call: () => Promise<T>, map: (err: unknown) => unknown): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw map(err);
  }
}

/** The feed relay's activities: read a feed, filter what was announced, post, crosspost, record. */
export function createFeedActivities(deps: FeedActivityDeps) {
  return {
    async resolveAnnouncementChannel(input: {
      guildId: string;
      channelName: string;
    }): Promise<AnnouncementChannel> {
      const found = await mapped(
        () => deps.discord.findGuildChannel({ ...input, name: input.channelName }),
        toActivityFailure,
      );
      if (!found) {
        throw ApplicationFailure.nonRetryable(
          `guild ${input.guildId} has no #${input.channelName} channel; run \`flexcord setup-channels\``,
          FEED_FAILURE_TYPES.noChannel,
        );
      }
      return found;
    },

    /**
     * The feed's items not yet in the ledger. A feed seen for the first time would otherwise flood the channel with
     * its whole back catalogue: only its newest `firstPollLimit` items are returned, the rest recorded as skipped.
     */
    async fetchNewFeedItems(input: {
      feedUrl: string;
      limit: number;
      firstPollLimit: number;
    }): Promise<NewFeedItems> {
      const feed = await mapped(() => deps.feedReader.read(input.feedUrl), toFeedFailure);
      const firstPoll = !(await deps.feedLedger.knows(input.feedUrl));
      const done = await deps.feedLedger.recorded(
        input.feedUrl,
        feed.items.map((i) => i.id),
      );
      const seen = new Set<string>();
      const fresh = feed.items.filter((i) => !done.has(i.id) && !seen.has(i.id) && seen.add(i.id));
      let baselined = 0;
      let items = fresh;
      if (firstPoll && fresh.length > input.firstPollLimit) {
        const old = fresh.slice(0, fresh.length - input.firstPollLimit);
        await deps.feedLedger.record(
          input.feedUrl,
          old.map((i) => ({ itemId: i.id, outcome: 'skipped' as const })),
        );
        baselined = old.length;
        items = fresh.slice(old.length);
      }
      return { feedTitle: feed.title, items: items.slice(0, input.limit), baselined };
    },

    async postFeedItem(input: {
      channelId: string;
      feedUrl: string;
      feedTitle?: string;
      item: FeedItem;
    }): Promise<{ messageId: string }> {
      return mapped(
        () =>
          deps.discord.postAnnouncement({
            channelId: input.channelId,
            dedupeKey: announcementDedupeKey(input.feedUrl, input.item.id),
            embed: announcementEmbed(input.item, input.feedTitle),
          }),
        toActivityFailure,
      );
    },

    /**
     * Posts an item and records it in the same step, so nothing lies between a post and its record but this
     * activity's own retries. The item is claimed first: a retry, or a later run after this one hit its deadline,
     * finds the claim and looks for the post in the channel before posting (Discord's nonce only covers a few
     * minutes).
     */
    async announceFeedItem(input: {
      channelId: string;
      feedUrl: string;
      feedTitle?: string;
      item: FeedItem;
    }): Promise<{ messageId: string; found: boolean }> {
      const claim = await deps.feedLedger.claim(input.feedUrl, input.item.id);
      if (claim.outcome === 'posted' && claim.messageId) return { messageId: claim.messageId, found: true };
      const embed = announcementEmbed(input.item, input.feedTitle);
      let messageId = claim.fresh
        ? undefined
        : await mapped(
            () =>
              deps.discord.findOwnMessage({
                channelId: input.channelId,
                sinceMs: claim.claimedAt,
                body: announcementBody(embed),
              }),
            toActivityFailure,
          );
      const found = messageId !== undefined;
      messageId ??= (
        await mapped(
          () =>
            deps.discord.postAnnouncement({
              channelId: input.channelId,
              dedupeKey: announcementDedupeKey(input.feedUrl, input.item.id),
              embed,
            }),
          toActivityFailure,
        )
      ).messageId;
      await deps.feedLedger.record(input.feedUrl, [{ itemId: input.item.id, outcome: 'posted', messageId }]);
      return { messageId, found };
    },

    /**
     * Best effort: Discord lets a channel publish only a few messages an hour, and an announcement that was not
     * crossposted is still posted. A rate limit is therefore final here, not a reason to wait for an hour.
     */
    async crosspostFeedItem(input: { channelId: string; messageId: string }): Promise<void> {
      await mapped(
        () => deps.discord.crosspost(input),
        (err) => {
          const failure = toActivityFailure(err);
          if (failure instanceof ApplicationFailure && failure.type === 'DiscordRateLimited') {
            return ApplicationFailure.create({
              type: FEED_FAILURE_TYPES.crosspostLimited,
              message: `${failure.message}; not crossposted`,
              nonRetryable: true,
            });
          }
          return failure;
        },
      );
    },

    async recordFeedItemPosted(input: { feedUrl: string; itemId: string; messageId: string }): Promise<void> {
      await deps.feedLedger.record(input.feedUrl, [
        { itemId: input.itemId, outcome: 'posted', messageId: input.messageId },
      ]);
    },
  };
}

export type FeedActivities = ReturnType<typeof createFeedActivities>;
