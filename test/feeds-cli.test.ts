import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SqlFeedLedger } from '../src/activities/feeds/sql-feed-ledger';
import { openCaseDatabase, type CaseDatabase } from '../src/cases';
import { formatFeedRelayStatus, pollFeedsNow, readFeedRelayStatus } from '../src/cli/commands/feeds';
import { UserError } from '../src/cli/user-error';
import { syncFeedSchedule } from '../src/temporal/feed-schedule';
import { testEnv } from './support/global-fixtures';
import { uniqueTaskQueue } from './support/worker';

describe('flexcord feeds status / poll-now', () => {
  const client = () => testEnv().client;
  const scheduleId = `feed-relay-cli-${randomUUID()}`;
  let database: CaseDatabase;
  let ledger: SqlFeedLedger;

  beforeEach(async () => {
    database = await openCaseDatabase({ sqliteFile: ':memory:' });
    ledger = await SqlFeedLedger.open(database.db);
  });
  afterEach(async () => {
    await database.close();
    await client()
      .schedule.getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
  });

  it('explains how to enable the relay when there is no schedule', async () => {
    await assert.rejects(pollFeedsNow(client(), scheduleId), (err: Error) => {
      assert.ok(err instanceof UserError);
      assert.match(err.message, /set FEED_URLS and DISCORD_GUILD_ID/);
      return true;
    });
    const status = await readFeedRelayStatus(client(), ledger, scheduleId);
    assert.deepEqual(status, { schedule: { found: false }, feeds: [] });
  });

  it('shows the schedule and what each feed posted, and triggers a poll', async () => {
    const feedUrl = 'https://acme.example/releases.rss';
    await syncFeedSchedule(client(), {
      scheduleId,
      feedUrls: [feedUrl, 'https://acme.example/status.atom'],
      pollSeconds: 600,
      guildId: '42',
      channelName: 'announcements',
      taskQueue: uniqueTaskQueue('feeds-cli'),
    });
    await ledger.record(feedUrl, [
      { itemId: 'a', outcome: 'posted', messageId: '1' },
      { itemId: 'b', outcome: 'posted', messageId: '2' },
      { itemId: 'c', outcome: 'skipped' },
    ]);
    await pollFeedsNow(client(), scheduleId);
    let status = await readFeedRelayStatus(client(), ledger, scheduleId);
    for (let i = 0; i < 50 && !(status.schedule.found && status.schedule.lastWorkflowId); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = await readFeedRelayStatus(client(), ledger, scheduleId);
    }
    assert.ok(status.schedule.found);
    assert.equal(status.schedule.paused, false);
    assert.equal(status.schedule.everySeconds, 600);
    assert.ok(status.schedule.nextRunAt);
    // The triggered poll started (no worker serves this queue, so it is ended here).
    assert.match(status.schedule.lastWorkflowId ?? '', /^feed-relay-poll/);
    await client().workflow.getHandle(status.schedule.lastWorkflowId!).terminate('test over');
    const text = formatFeedRelayStatus(status);
    assert.match(text, /active, every 600 s/);
    assert.match(text, /releases\.rss: 2 posted, 1 skipped/);
    assert.match(text, /status\.atom: nothing posted yet/);
  });
});
