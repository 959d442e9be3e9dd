import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type ScheduleOptionsStartWorkflowAction,
  ScheduleOverlapPolicy,
  type ScheduleSpec,
} from '@temporalio/client';
import { type Workflow } from '@temporalio/common';
import { type Config } from '../config';
import {
  FEED_RELAY_SCHEDULE_ID,
  FEED_RELAY_WORKFLOW_ID,
  FEED_RELAY_WORKFLOW_TYPE,
  type FeedRelayInput,
} from '../shared/feed-relay';

export interface FeedScheduleSettings {
  feedUrls: string[];
  pollSeconds: number;
  guildId?: string;
  channelName: string;
  taskQueue: string;
  scheduleId?: string;
}

export type FeedScheduleOutcome =
  | { state: 'created' | 'updated'; scheduleId: string }
  | { state: 'deleted' | 'absent'; scheduleId: string; reason: string };

export function feedScheduleSettings(config: Config): FeedScheduleSettings {
  return {
    feedUrls: config.feeds.urls,
    pollSeconds: config.feeds.pollSeconds,
    guildId: config.discord.guildId,
    channelName: config.discord.channels.announcements,
    taskQueue: config.temporal.taskQueue,
  };
}

/**
 * Makes the `feed-relay` schedule match the settings: created or updated (and unpaused) when feeds are configured,
 * deleted when they are not, so changing FEED_URLS and restarting the worker is all an operator does.
 */
export async function syncFeedSchedule(
  client: Client,
  settings: FeedScheduleSettings,
): Promise<FeedScheduleOutcome> {
  const scheduleId = settings.scheduleId ?? FEED_RELAY_SCHEDULE_ID;
  const reason =
    settings.feedUrls.length === 0
      ? 'FEED_URLS is empty'
      : !settings.guildId
        ? 'DISCORD_GUILD_ID is not set (the relay needs the guild to find the announcements channel)'
        : undefined;
  if (reason) {
    try {
      await client.schedule.getHandle(scheduleId).delete();
      return { state: 'deleted', scheduleId, reason };
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return { state: 'absent', scheduleId, reason };
      throw err;
    }
  }

  const input: FeedRelayInput = {
    feedUrls: settings.feedUrls,
    guildId: settings.guildId!,
    channelName: settings.channelName,
  };
  const everyMs = settings.pollSeconds * 1000;
  const spec: ScheduleSpec = { intervals: [{ every: everyMs }] };
  const action: ScheduleOptionsStartWorkflowAction<Workflow> = {
    type: 'startWorkflow',
    workflowType: FEED_RELAY_WORKFLOW_TYPE,
    workflowId: FEED_RELAY_WORKFLOW_ID,
    taskQueue: settings.taskQueue,
    args: [input],
    // A poll that cannot finish in one interval is stuck; the next one starts fresh.
    workflowExecutionTimeout: Math.max(everyMs, 60_000),
  };
  // SKIP: a slow poll is never joined by a second one racing it over the same items.
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: Math.max(everyMs, 60_000) };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, state: { paused: false } });
    return { state: 'created', scheduleId };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((previous) => ({
    ...previous,
    spec,
    action,
    policies: { ...previous.policies, ...policies },
    state: { ...previous.state, paused: false },
  }));
  return { state: 'updated', scheduleId };
}
