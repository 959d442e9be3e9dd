import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TimeoutFailure, WorkflowFailedError } from '@temporalio/client';
import { ChannelType, MessageFlags } from 'discord-api-types/v10';
import { createFeedActivities } from '../src/activities/feeds/activities';
import { RssFeedReader } from '../src/activities/feeds/rss-feed-reader';
import { SqlFeedLedger } from '../src/activities/feeds/sql-feed-ledger';
import { createDiscordRest, DiscordRestPort } from '../src/activities/discord/discord-rest-port';
import { openCaseDatabase, type CaseDatabase } from '../src/cases';
import { type FeedRelayInput, type FeedRelayResult } from '../src/shared/feed-relay';
import { feedRelayWorkflow } from '../src/workflows';
import { FakeDiscord, type FakeDiscordOptions, waitFor } from '../src/sandbox/discord';
import { newChannel } from '../src/sandbox/discord/model';
import { FeedServer, readFeedFixture } from './support/feed-server';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

const NEW_RELEASE = `
    <item>
      <title>Acme 2.4: shared boards</title>
      <link>https://acme.example/releases/2-4</link>
      <guid isPermaLink="false">acme-release-2.4</guid>
      <pubDate>Tue, 01 Apr 2025 09:00:00 GMT</pubDate>
      <description>Invite a teammate to any board.</description>
    </item>`;

/** The release-notes fixture with an extra, newer item at the top, as a publisher adds it. */
const withNewRelease = () =>
  readFeedFixture('release-notes.rss.xml').replace('<item>', `${NEW_RELEASE.trim()}\n    <item>`);

describe('feed relay workflow (dev server, real activities, Discord fake, local feeds)', function () {
  this.timeout(60_000);
  let discord: FakeDiscord;
  let feeds: FeedServer;
  let database: CaseDatabase;
  let activities: ReturnType<typeof createFeedActivities>;
  let guildId: string;

  /** A Discord fake with `options` (no rate limits unless given) and the real activities pointed at it. */
  const useDiscord = async (options: FakeDiscordOptions = {}, replacing = true) => {
    if (replacing) await discord.stop();
    discord = await new FakeDiscord({ rateLimits: [], ...options }).start();
    guildId = discord.addGuild('Acme').guild.id;
    const rest = createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl });
    activities = createFeedActivities({
      discord: new DiscordRestPort(rest),
      feedReader: new RssFeedReader({ timeoutMs: 5000, allowedPrivateRanges: ['127.0.0.0/8'] }),
      feedLedger: await SqlFeedLedger.open(database.db),
    });
  };

  beforeEach(async () => {
    feeds = await new FeedServer().start();
    database = await openCaseDatabase({ sqliteFile: ':memory:' });
    await useDiscord({}, false);
  });

  afterEach(async () => {
    assert.deepEqual(
      discord.checker.violations,
      [],
      'every Discord request and response matches the OpenAPI spec',
    );
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
    await feeds.stop();
    await database.close();
  });

  const addChannel = (type: ChannelType.GuildAnnouncement | ChannelType.GuildText) =>
    discord.addChannel(newChannel({ type, guildId, name: 'announcements' }));

  const poll = (
    input: Omit<FeedRelayInput, 'guildId' | 'channelName'>,
    workflowId = `feed-relay-${randomUUID()}`,
  ) =>
    withWorker(activities, async (taskQueue) => {
      const result: FeedRelayResult = await testEnv().client.workflow.execute(feedRelayWorkflow, {
        taskQueue,
        workflowId,
        args: [{ guildId, channelName: 'announcements', ...input }],
      });
      return { result, workflowId };
    });

  /**
   * One poll as the schedule starts it, with a run timeout: its result, or 'timed out' when the run did not finish.
   * `meanwhile` runs while the poll does (to change the world under it).
   */
  const timedPoll = (
    input: Omit<FeedRelayInput, 'guildId' | 'channelName'>,
    timeoutMs: number,
    meanwhile: () => Promise<void> = async () => undefined,
  ) =>
    withWorker(activities, async (taskQueue) => {
      const workflowId = `feed-relay-${randomUUID()}`;
      const handle = await testEnv().client.workflow.start(feedRelayWorkflow, {
        taskQueue,
        workflowId,
        args: [{ guildId, channelName: 'announcements', ...input }],
        workflowExecutionTimeout: timeoutMs,
      });
      await meanwhile();
      const result = await handle.result().catch((err: unknown) => {
        if (err instanceof WorkflowFailedError && err.cause instanceof TimeoutFailure)
          return 'timed out' as const;
        throw err;
      });
      return { result, workflowId };
    });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('records each item right after its post: a crosspost that always fails (hourly publish limit) never re-posts it', async () => {
    // Discord publishes at most 10 messages per channel per hour; here the channel has used them up.
    await useDiscord({
      nonceWindowMs: 1000,
      rateLimits: [
        {
          route: 'post /channels/{channel_id}/messages/{message_id}/crosspost',
          limit: 0,
          windowMs: 3_600_000,
        },
      ],
    });
    const channel = addChannel(ChannelType.GuildAnnouncement);
    const atom = feeds.serve('/status.atom', { body: readFeedFixture('status.atom.xml') });

    const first = await timedPoll({ feedUrls: [atom] }, 8000);
    await sleep(1100); // past the nonce window: Discord would take the same post again
    const second = await timedPoll({ feedUrls: [atom] }, 8000);

    assert.deepEqual(
      discord.messagesIn(channel.id).map((m) => m.embeds[0]?.title),
      ['Scheduled maintenance on 8 March', 'Resolved: delayed notifications'],
      'each item posted once',
    );
    assert.notEqual(first.result, 'timed out', 'a failing crosspost does not hold the poll up');
    assert.notEqual(second.result, 'timed out');
    if (first.result === 'timed out' || second.result === 'timed out') return;
    assert.deepEqual(first.result.feeds[0], {
      feedUrl: atom,
      posted: 2,
      baselined: 0,
      crosspostFailed: 2,
    });
    assert.equal(second.result.feeds[0]!.posted, 0);
    await recordHistory(testEnv().client, first.workflowId, 'feed-relay-crosspost-fails-v1');
  });

  it('never posts an item again after a run hit its deadline between the post and its record', async () => {
    await useDiscord({ nonceWindowMs: 1000 });
    const channel = addChannel(ChannelType.GuildText);
    const atom = feeds.serve('/status.atom', { body: readFeedFixture('status.atom.xml') });
    // The first post lands but its answer is lost; then Discord is down until the run's deadline.
    discord.loseNextAnswer('POST', /\/messages$/);
    const first = await timedPoll({ feedUrls: [atom] }, 6000, async () => {
      await waitFor(() => discord.messagesIn(channel.id).length === 1, 5000, 'the first post');
      discord.outage = true;
    });
    // The post's retries end at the run's deadline (Temporal caps them there) with the item unrecorded.
    assert.ok(first.result === 'timed out' || first.result.feeds[0]!.error, 'the first run did not finish');
    discord.outage = false;
    await sleep(1100);

    const second = await timedPoll({ feedUrls: [atom] }, 8000);
    assert.deepEqual(
      discord.messagesIn(channel.id).map((m) => m.embeds[0]?.title),
      ['Scheduled maintenance on 8 March', 'Resolved: delayed notifications'],
      'the item posted before the timeout is found, not posted again',
    );
    assert.notEqual(second.result, 'timed out');
    if (second.result !== 'timed out') assert.equal(second.result.feeds[0]!.posted, 2);
  });

  it('posts each item once across polls, crossposts in an announcement channel, and posts a new item later', async () => {
    const channel = addChannel(ChannelType.GuildAnnouncement);
    const rss = feeds.serve('/releases.rss', { body: readFeedFixture('release-notes.rss.xml') });
    const atom = feeds.serve('/status.atom', { body: readFeedFixture('status.atom.xml') });

    const first = await poll({ feedUrls: [rss, atom] });
    assert.deepEqual(
      first.result.feeds.map((f) => [f.posted, f.error]),
      [
        [3, undefined],
        [2, undefined],
      ],
    );
    assert.equal(first.result.crossposted, true);
    const titles = () => discord.messagesIn(channel.id).map((m) => m.embeds[0]?.title);
    assert.deepEqual(titles(), [
      'Acme 2.1: dark theme',
      'Acme 2.2: faster search',
      'Acme 2.3: offline mode',
      'Scheduled maintenance on 8 March',
      'Resolved: delayed notifications',
    ]);
    const posted = discord.messagesIn(channel.id);
    for (const m of posted)
      assert.ok((m.flags ?? 0) & MessageFlags.Crossposted, `${m.embeds[0]?.title} crossposted`);
    assert.equal(posted[2]!.embeds[0]!.url, 'https://acme.example/releases/2-3');
    assert.equal(posted[2]!.embeds[0]!.footer?.text, 'Acme Release Notes');

    const unchanged = await poll({ feedUrls: [rss, atom] });
    assert.deepEqual(
      unchanged.result.feeds.map((f) => f.posted),
      [0, 0],
    );
    assert.equal(discord.messagesIn(channel.id).length, 5, 'nothing is posted twice');

    feeds.serve('/releases.rss', { body: withNewRelease() });
    const later = await poll({ feedUrls: [rss, atom] }, 'feed-relay-new-item');
    assert.deepEqual(
      later.result.feeds.map((f) => f.posted),
      [1, 0],
    );
    assert.deepEqual(titles().slice(5), ['Acme 2.4: shared boards']);
    assert.equal(feeds.hits.get('/releases.rss'), 3);
    await recordHistory(testEnv().client, later.workflowId, 'feed-relay-new-item-v1');
  });

  it('retries a Discord outage without doubling the post, and takes "already crossposted" as done', async () => {
    const channel = addChannel(ChannelType.GuildAnnouncement);
    const atom = feeds.serve('/status.atom', { body: readFeedFixture('status.atom.xml') });
    discord.failNext('POST', /\/messages$/, { status: 503, message: 'upstream down' });
    discord.failNext('POST', /\/crosspost$/, {
      status: 400,
      code: 40033,
      message: 'This message has already been crossposted.',
    });
    const { result } = await poll({ feedUrls: [atom] });
    assert.equal(result.feeds[0]!.posted, 2);
    assert.equal(result.feeds[0]!.error, undefined);
    const left = [
      discord.takeInjectedFailure('POST', '/x/messages'),
      discord.takeInjectedFailure('POST', '/x/crosspost'),
    ];
    assert.deepEqual(left, [undefined, undefined], 'both injected failures were hit');
    assert.deepEqual(
      discord.messagesIn(channel.id).map((m) => m.embeds[0]?.title),
      ['Scheduled maintenance on 8 March', 'Resolved: delayed notifications'],
    );
  });

  it('posts without crossposting in a plain text channel', async () => {
    const channel = addChannel(ChannelType.GuildText);
    const atom = feeds.serve('/status.atom', { body: readFeedFixture('status.atom.xml') });
    const { result } = await poll({ feedUrls: [atom] });
    assert.equal(result.crossposted, false);
    assert.equal(result.feeds[0]!.posted, 2);
    const posted = discord.messagesIn(channel.id);
    assert.equal(posted.length, 2);
    for (const m of posted) assert.equal((m.flags ?? 0) & MessageFlags.Crossposted, 0);
    assert.ok(!discord.requestLog.some((r) => r.path.endsWith('/crosspost')), 'no crosspost request');
  });

  it('reports a failing feed and still relays the others', async () => {
    const channel = addChannel(ChannelType.GuildAnnouncement);
    const gone = feeds.url('/gone.rss'); // 404: permanent, not retried
    const broken = feeds.serve('/broken.rss', { body: 'this is not xml' });
    const atom = feeds.serve('/status.atom', { body: readFeedFixture('status.atom.xml') });
    const { result, workflowId } = await poll({ feedUrls: [gone, broken, atom] });
    assert.match(result.feeds[0]!.error ?? '', /FeedRejected: .*HTTP 404/);
    assert.match(result.feeds[1]!.error ?? '', /FeedInvalid/);
    assert.equal(result.feeds[2]!.posted, 2);
    assert.equal(discord.messagesIn(channel.id).length, 2);
    assert.equal(feeds.hits.get('/gone.rss'), 1, 'a permanent failure is not retried');
    await recordHistory(testEnv().client, workflowId, 'feed-relay-failing-feed-v1');
  });

  it('announces only the newest items of a feed seen for the first time', async () => {
    const channel = addChannel(ChannelType.GuildAnnouncement);
    const rss = feeds.serve('/releases.rss', { body: readFeedFixture('release-notes.rss.xml') });
    const first = await poll({ feedUrls: [rss], firstPollLimit: 1 });
    assert.deepEqual([first.result.feeds[0]!.posted, first.result.feeds[0]!.baselined], [1, 2]);
    assert.deepEqual(
      discord.messagesIn(channel.id).map((m) => m.embeds[0]?.title),
      ['Acme 2.3: offline mode'],
    );
    const second = await poll({ feedUrls: [rss], firstPollLimit: 1 });
    assert.equal(second.result.feeds[0]!.posted, 0, 'baselined items stay unannounced');
  });

  it('fails the poll with a clear reason when the announcements channel is missing', async () => {
    const atom = feeds.serve('/status.atom', { body: readFeedFixture('status.atom.xml') });
    await assert.rejects(poll({ feedUrls: [atom] }), (err: Error) => {
      const cause = (err as { cause?: { cause?: Error } }).cause?.cause;
      assert.match(cause?.message ?? '', /no #announcements channel; run `flexcord setup-channels`/);
      return true;
    });
  });
});
