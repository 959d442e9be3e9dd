import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { ChannelType } from 'discord-api-types/v10';
import { createFeedActivities } from '../src/activities/feeds/activities';
import { RssFeedReader } from '../src/activities/feeds/rss-feed-reader';
import { SqlFeedLedger } from '../src/activities/feeds/sql-feed-ledger';
import { createDiscordRest, DiscordRestPort } from '../src/activities/discord/discord-rest-port';
import { openCaseDatabase } from '../src/cases';
import { type FeedRelayInput, type FeedRelayResult } from '../src/shared/feed-relay';
import { type FeedScheduleSettings, syncFeedSchedule } from '../src/temporal/feed-schedule';
import { FakeDiscord } from '../src/sandbox/discord';
import { newChannel } from '../src/sandbox/discord/model';
import { FeedServer, readFeedFixture } from './support/feed-server';
import { testEnv } from './support/global-fixtures';
import { uniqueTaskQueue, withWorker } from './support/worker';

describe('feed-relay schedule (dev server)', function () {
  this.timeout(60_000);
  const client = () => testEnv().client;
  let settings: FeedScheduleSettings;

  beforeEach(() => {
    settings = {
      scheduleId: `feed-relay-${randomUUID()}`,
      feedUrls: ['https://acme.example/releases.rss'],
      pollSeconds: 900,
      guildId: '1234567890',
      channelName: 'announcements',
      taskQueue: uniqueTaskQueue('feeds'),
    };
  });

  afterEach(async () => {
    await client()
      .schedule.getHandle(settings.scheduleId!)
      .delete()
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
  });

  it('creates the schedule with the poll interval, SKIP overlap and the relay input', async () => {
    assert.equal((await syncFeedSchedule(client(), settings)).state, 'created');
    const described = await client().schedule.getHandle(settings.scheduleId!).describe();
    assert.equal(described.policies.overlap, ScheduleOverlapPolicy.SKIP);
    assert.equal(described.state.paused, false);
    assert.deepEqual(
      described.spec.intervals?.map((i) => i.every),
      [900_000],
    );
    assert.equal(described.action.type, 'startWorkflow');
    assert.equal(described.action.workflowType, 'feedRelayWorkflow');
    assert.equal(described.action.taskQueue, settings.taskQueue);
    const [input] = described.action.args as [FeedRelayInput];
    assert.deepEqual(input, {
      feedUrls: settings.feedUrls,
      guildId: settings.guildId,
      channelName: 'announcements',
    });
  });

  it('updates an existing schedule in place and unpauses it', async () => {
    await syncFeedSchedule(client(), settings);
    const handle = client().schedule.getHandle(settings.scheduleId!);
    await handle.pause('operator paused it');
    const changed = {
      ...settings,
      pollSeconds: 120,
      feedUrls: ['https://a.example/x.rss', 'https://b.example/y'],
    };
    assert.equal((await syncFeedSchedule(client(), changed)).state, 'updated');
    const described = await handle.describe();
    assert.equal(described.state.paused, false);
    assert.deepEqual(
      described.spec.intervals?.map((i) => i.every),
      [120_000],
    );
    assert.deepEqual((described.action.args as [FeedRelayInput])[0].feedUrls, changed.feedUrls);
  });

  it('deletes the schedule when FEED_URLS is emptied, and reports absent after that', async () => {
    await syncFeedSchedule(client(), settings);
    const deleted = await syncFeedSchedule(client(), { ...settings, feedUrls: [] });
    assert.deepEqual(deleted, {
      state: 'deleted',
      scheduleId: settings.scheduleId,
      reason: 'FEED_URLS is empty',
    });
    await assert.rejects(client().schedule.getHandle(settings.scheduleId!).describe(), ScheduleNotFoundError);
    const again = await syncFeedSchedule(client(), { ...settings, feedUrls: [] });
    assert.equal(again.state, 'absent');
    const noGuild = await syncFeedSchedule(client(), { ...settings, guildId: undefined });
    assert.equal(noGuild.state, 'absent');
    assert.match(noGuild.state === 'absent' ? noGuild.reason : '', /DISCORD_GUILD_ID/);
  });

  it('a triggered schedule runs the relay on the worker and posts to the announcements channel', async () => {
    const discord = await new FakeDiscord({ rateLimits: [] }).start();
    const feeds = await new FeedServer().start();
    const database = await openCaseDatabase({ sqliteFile: ':memory:' });
    try {
      const guildId = discord.addGuild('Acme').guild.id;
      const channel = discord.addChannel(
        newChannel({ type: ChannelType.GuildAnnouncement, guildId, name: 'announcements' }),
      );
      const feedUrl = feeds.serve('/status.atom', { body: readFeedFixture('status.atom.xml') });
      const activities = createFeedActivities({
        discord: new DiscordRestPort(createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl })),
        feedReader: new RssFeedReader({ timeoutMs: 5000, allowedPrivateRanges: ['127.0.0.0/8'] }),
        feedLedger: await SqlFeedLedger.open(database.db),
      });
      await syncFeedSchedule(client(), { ...settings, guildId, feedUrls: [feedUrl] });
      const handle = client().schedule.getHandle(settings.scheduleId!);
      const result = await withWorker(
        activities,
        async () => {
          await handle.trigger();
          const workflowId = await waitForAction(() => handle.describe());
          return (await client().workflow.getHandle(workflowId).result()) as FeedRelayResult;
        },
        { taskQueue: settings.taskQueue },
      );
      assert.equal(result.feeds[0]!.posted, 2);
      assert.equal(discord.messagesIn(channel.id).length, 2);
    } finally {
      await discord.stop();
      await feeds.stop();
      await database.close();
    }
  });
});

async function waitForAction(
  describe: () => Promise<{ info: { recentActions: { action: { workflow: { workflowId: string } } }[] } }>,
): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const [first] = (await describe()).info.recentActions;
    if (first) return first.action.workflow.workflowId;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the schedule took no action within 20 s');
}
