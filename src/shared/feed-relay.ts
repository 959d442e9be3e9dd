/** The schedule that polls the official feeds, and the workflow it starts. Shared by the worker, CLI and workflow. */
export const FEED_RELAY_SCHEDULE_ID = 'feed-relay';
export const FEED_RELAY_WORKFLOW_TYPE = 'feedRelayWorkflow';
/** Schedules append the run's timestamp to this id. */
export const FEED_RELAY_WORKFLOW_ID = 'feed-relay-poll';

export interface FeedRelayInput {
  feedUrls: string[];
  guildId: string;
  /** The announcements channel's name (DISCORD_ANNOUNCEMENTS_CHANNEL). */
  channelName: string;
  /** Most items announced per feed in one poll; the rest wait for the next poll. */
  maxItemsPerFeed?: number;
  /** A feed seen for the first time announces only this many of its newest items. */
  firstPollLimit?: number;
}

export interface FeedRelayFeedResult {
  feedUrl: string;
  posted: number;
  baselined: number;
  /** Items posted but not crossposted (Discord's hourly publish limit, say); they are not posted again. */
  crosspostFailed?: number;
  /** Why the feed was given up on in this poll; the next poll tries again. */
  error?: string;
}

export interface FeedRelayResult {
  channelId: string;
  crossposted: boolean;
  feeds: FeedRelayFeedResult[];
}
