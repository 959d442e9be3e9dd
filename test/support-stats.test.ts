import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { formatDuration, formatStats } from '../src/analytics/format-stats';
import { parsePeriod, PeriodError } from '../src/analytics/period';
import { SqlConversationLedger } from '../src/analytics/sql-conversation-ledger';
import { supportStats, type SupportStats } from '../src/analytics/support-stats';
import { type CaseDatabase, openCaseDatabase } from '../src/cases/database';
import { ALL_GUILDS, onlyGuilds } from '../src/cases/guild-scope';
import { SqlCaseStore } from '../src/cases/sql-case-store';
import { createWebhookApp } from '../src/webhooks/app';
import { statsApiRouter } from '../src/webhooks/api/stats-api-router';
import { listen } from '../src/webhooks/http-server';
import { FakeDiscord, type FakeMessage } from '../src/sandbox/discord';
import { describeOnEachDialect } from './support/case-databases';
import { eventually, startFlexcordSystem } from './support/e2e/flexcord-system';

/*
 * Support analytics from the case database: one week of made-up support in two servers, with every figure worked
 * out by hand below, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
 */

const at = (iso: string) => Date.parse(iso);
const PERIOD = { from: new Date('2025-06-01T00:00:00Z'), to: new Date('2025-06-08T00:00:00Z') };

/** Writes the week: conversations through the ledger, cases and reports through the case store at fixed times. */
async function seed(database: CaseDatabase): Promise<void> {
  const ledger = new SqlConversationLedger(database.db);
  let clock = new Date(0);
  const store = new SqlCaseStore(database.db, () => clock);
  const conversation = (id: string, guildId: string, startedAt: string) => ({
    conversationId: `support-${guildId}-${id}:ep`,
    workflowId: `support-${guildId}-${id}`,
    guildId,
    userId: id,
    startedAt: at(startedAt),
  });

  // Guild A: answered by the bot alone, closed by the user.
  const c1 = conversation('u1', 'A', '2025-06-01T10:00:00Z');
  await ledger.record(c1);
  await ledger.record({ ...c1, kbAnsweredAt: at('2025-06-01T10:00:05Z') });
  await ledger.record({ ...c1, closedAt: at('2025-06-01T10:10:00Z'), closeReason: 'user_closed' });
  // Answered, then asked for a person: 4 min to an agent, 5 min to the first reply, 25 min handled; rated 5.
  const c2 = conversation('u2', 'A', '2025-06-02T09:00:00Z');
  await ledger.record({ ...c2, kbAnsweredAt: at('2025-06-02T09:00:05Z') });
  await ledger.record({ ...c2, humanRequestedAt: at('2025-06-02T09:01:00Z'), caseNumber: 1 });
  await ledger.record({ ...c2, agentJoinedAt: at('2025-06-02T09:05:00Z') });
  await ledger.record({ ...c2, firstAgentReplyAt: at('2025-06-02T09:06:00Z') });
  // A later value never replaces the first: a retried or repeated write changes nothing.
  await ledger.record({ ...c2, firstAgentReplyAt: at('2025-06-02T09:20:00Z') });
  await ledger.record({ ...c2, closedAt: at('2025-06-02T09:30:00Z'), closeReason: 'agent_closed' });
  // Straight to a person: 10 min to an agent, 20 min to the first reply, 50 min handled; rated 3.
  const c3 = conversation('u3', 'A', '2025-06-03T11:59:00Z');
  await ledger.record({ ...c3, humanRequestedAt: at('2025-06-03T12:00:00Z') });
  await ledger.record({
    ...c3,
    agentJoinedAt: at('2025-06-03T12:10:00Z'),
    firstAgentReplyAt: at('2025-06-03T12:20:00Z'),
    closedAt: at('2025-06-03T13:00:00Z'),
  });
  // Only the greeting; and one from before the period.
  await ledger.record(conversation('u4', 'A', '2025-06-04T08:00:00Z'));
  await ledger.record({
    ...conversation('u5', 'A', '2025-05-30T08:00:00Z'),
    kbAnsweredAt: at('2025-05-30T08:00:01Z'),
  });
  // Guild B: one answered by the bot.
  await ledger.record({
    ...conversation('u6', 'B', '2025-06-05T08:00:00Z'),
    kbAnsweredAt: at('2025-06-05T08:00:02Z'),
  });

  const open = async (key: string, type: 'support' | 'bug' | 'feature', guildId: string, when: string) => {
    clock = new Date(when);
    return (
      await store.openCase({
        idempotencyKey: key,
        type,
        guildId,
        reporter: { discordId: key, name: key },
        title: key,
        description: key,
      })
    ).caseNumber;
  };
  const change = async (
    caseNumber: number,
    when: string,
    changes: Parameters<SqlCaseStore['updateCase']>[1],
    action: string,
  ) => {
    clock = new Date(when);
    await store.updateCase(caseNumber, changes, {
      eventId: `${action}:${caseNumber}`,
      actor: 'staff',
      action,
    });
  };
  // Ratings: support cases opened in the period (5 and 3), and one before it that does not count.
  await change(
    await open('s2', 'support', 'A', '2025-06-02T09:01:00Z'),
    '2025-06-02T09:31:00Z',
    { rating: 5 },
    'rated',
  );
  await change(
    await open('s3', 'support', 'A', '2025-06-03T12:00:00Z'),
    '2025-06-03T13:01:00Z',
    { rating: 3 },
    'rated',
  );
  await change(
    await open('s0', 'support', 'A', '2025-05-20T12:00:00Z'),
    '2025-06-01T13:01:00Z',
    { rating: 1 },
    'rated',
  );
  // Reports in A.
  const r1 = await open('r1', 'bug', 'A', '2025-05-20T00:00:00Z'); // triaged before, still open: waits 19 days
  await change(r1, '2025-05-25T00:00:00Z', { status: 'in_progress' }, 'triaged');
  const r2 = await open('r2', 'bug', 'A', '2025-06-02T00:00:00Z'); // triaged after 1 day, resolved after 3
  await change(r2, '2025-06-03T00:00:00Z', { status: 'in_progress' }, 'triaged');
  await change(r2, '2025-06-05T00:00:00Z', { status: 'resolved', closeReason: 'resolved' }, 'resolved');
  await open('r3', 'feature', 'A', '2025-06-04T00:00:00Z'); // untriaged, waits 4 days
  const r4 = await open('r4', 'feature', 'A', '2025-06-01T00:00:00Z'); // declined after 5 days
  await change(r4, '2025-06-06T00:00:00Z', { status: 'closed', closeReason: 'declined' }, 'declined');
  const r5 = await open('r5', 'bug', 'A', '2025-05-01T00:00:00Z'); // over before the period
  await change(r5, '2025-05-10T00:00:00Z', { status: 'resolved' }, 'resolved');
  await open('r6', 'bug', 'A', '2025-06-09T00:00:00Z'); // after it
}

const DAY = 86_400;

describeOnEachDialect('support analytics', (open) => {
  it('counts conversations, knowledge-base answers, time to agent, first response, handle time, ratings and reports per server', async () => {
    const database = await open();
    await seed(database);
    const stats = await supportStats(database.db, { ...PERIOD, scope: ALL_GUILDS });
    assert.equal(stats.from, '2025-06-01T00:00:00.000Z');
    assert.equal(stats.to, '2025-06-08T00:00:00.000Z');
    assert.deepEqual(
      stats.guilds.map((g) => g.guildId),
      ['A', 'B'],
    );
    const [a, b] = stats.guilds;
    assert.deepEqual(a!.conversations, {
      total: 4,
      answeredByKnowledgeBase: 1,
      answeredByKnowledgeBaseShare: 0.25,
      handedToHuman: 2,
      reachedAgent: 2,
    });
    assert.deepEqual(a!.timeToAgent, { count: 2, medianSeconds: 240, p90Seconds: 600, averageSeconds: 420 });
    assert.deepEqual(a!.firstAgentResponse, {
      count: 2,
      medianSeconds: 300,
      p90Seconds: 1200,
      averageSeconds: 750,
    });
    assert.deepEqual(a!.handleTime, {
      count: 2,
      medianSeconds: 1500,
      p90Seconds: 3000,
      averageSeconds: 2250,
    });
    assert.deepEqual(a!.satisfaction, {
      count: 2,
      average: 4,
      distribution: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 1 },
    });
    assert.deepEqual(a!.reports, {
      opened: 3,
      triaged: 1,
      resolved: 1,
      declined: 1,
      timeToTriage: { count: 1, medianSeconds: DAY, p90Seconds: DAY, averageSeconds: DAY },
      timeToClose: { count: 2, medianSeconds: 3 * DAY, p90Seconds: 5 * DAY, averageSeconds: 4 * DAY },
      waiting: {
        untriaged: { count: 1, medianAgeSeconds: 4 * DAY, oldestAgeSeconds: 4 * DAY },
        triaged: { count: 1, medianAgeSeconds: 19 * DAY, oldestAgeSeconds: 19 * DAY },
      },
    });
    assert.deepEqual(b!.conversations, {
      total: 1,
      answeredByKnowledgeBase: 1,
      answeredByKnowledgeBaseShare: 1,
      handedToHuman: 0,
      reachedAgent: 0,
    });
    assert.equal(b!.timeToAgent.medianSeconds, null);
    assert.equal(b!.satisfaction.average, null);
  });

  it("forgets a user's conversations with their cases", async () => {
    const database = await open();
    await seed(database);
    await new SqlCaseStore(database.db).forgetReporter('u2');
    const [a] = (await supportStats(database.db, { ...PERIOD, guildId: 'A', scope: ALL_GUILDS })).guilds;
    assert.equal(a!.conversations.total, 3, 'u2 is gone, the others stay');
    assert.equal(a!.timeToAgent.count, 1);
  });

  it('shows only the servers in scope, and nothing for a server outside it', async () => {
    const database = await open();
    await seed(database);
    const onlyB = await supportStats(database.db, { ...PERIOD, scope: onlyGuilds('B') });
    assert.deepEqual(
      onlyB.guilds.map((g) => g.guildId),
      ['B'],
    );
    const askedForA = await supportStats(database.db, { ...PERIOD, guildId: 'A', scope: onlyGuilds('B') });
    assert.deepEqual(askedForA.guilds, []);
    const quiet = await supportStats(database.db, { ...PERIOD, guildId: 'C', scope: ALL_GUILDS });
    assert.deepEqual(
      quiet.guilds.map((g) => [g.guildId, g.conversations.total, g.reports.opened]),
      [['C', 0, 0]],
    );
  });
});

describe('support analytics: periods and the table', () => {
  it('reads --since as a duration back from --until, or as dates', () => {
    const now = new Date('2025-06-08T12:00:00Z');
    assert.deepEqual(parsePeriod({}, now), { from: new Date('2025-05-09T12:00:00Z'), to: now });
    assert.deepEqual(parsePeriod({ since: '7d', until: '2025-06-08' }, now), PERIOD);
    assert.deepEqual(parsePeriod({ since: '2025-06-01', until: '2025-06-08T00:00:00Z' }, now), PERIOD);
    assert.deepEqual(parsePeriod({ since: '24h' }, now).from, new Date('2025-06-07T12:00:00Z'));
    assert.throws(() => parsePeriod({ since: 'last week' }, now), PeriodError);
    assert.throws(() => parsePeriod({ since: '2025-06-09' }, now), /start before it ends/);
    assert.throws(() => parsePeriod({ until: '3d' }, now), PeriodError);
  });

  it('prints durations in two units and a block per server', () => {
    assert.equal(formatDuration(45), '45s');
    assert.equal(formatDuration(250), '4m 10s');
    assert.equal(formatDuration(3 * DAY + 4 * 3600 + 5), '3d 4h');
    const empty: SupportStats = { from: 'f', to: 't', guilds: [] };
    assert.match(formatStats(empty), /Nothing recorded in this period/);
  });
});

describe('support analytics: flexcord stats and GET /api/stats', function () {
  this.timeout(60_000);
  let dir: string;
  let database: CaseDatabase;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-stats-'));
    database = await openCaseDatabase({ sqliteFile: path.join(dir, 'cases.db') });
    await seed(database);
  });
  afterEach(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) =>
    promisify(execFile)(
      process.execPath,
      [path.resolve(__dirname, '..', 'bin', 'flexcord.js'), 'stats', ...args],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, FLEXCORD_DATA_DIR: dir, LOG_LEVEL: 'silent' },
      },
    );

  it('flexcord stats prints a table per server, or JSON with --json', async () => {
    const table = await cli('--since', '2025-06-01', '--until', '2025-06-08');
    assert.match(table.stdout, /^Support from 2025-06-01T00:00:00.000Z to 2025-06-08T00:00:00.000Z/);
    assert.match(
      table.stdout,
      /Server A\n {2}Conversations {9}4 · answered by the knowledge base alone 1 \(25\.0%\)/,
    );
    assert.match(table.stdout, /Time to agent {9}median 4m · p90 10m · average 7m \(2\)/);
    assert.match(table.stdout, /Satisfaction {10}4 average \(2 ratings\) · 1★ 0 · 2★ 0 · 3★ 1 · 4★ 0 · 5★ 1/);
    assert.match(table.stdout, /Waiting, triaged {6}1, median age 19d, oldest 19d/);
    assert.match(table.stdout, /Server B/);

    const json = await cli('--since', '7d', '--until', '2025-06-08', '--guild', 'B', '--json');
    const parsed = JSON.parse(json.stdout) as SupportStats;
    assert.deepEqual(
      parsed.guilds.map((g) => [g.guildId, g.conversations.total]),
      [['B', 1]],
    );

    await assert.rejects(cli('--since', 'yesterday'), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, /since: expected a date/);
      return true;
    });
  });

  it('GET /api/stats answers within the token’s servers', async () => {
    const app = createWebhookApp({
      logger: pino({ level: 'silent' }),
      readiness: async () => undefined,
      routers: [
        {
          path: '/api',
          router: statsApiRouter({
            tokens: [
              { token: 'all-servers', scope: ALL_GUILDS },
              { token: 'server-b', scope: onlyGuilds('B') },
            ],
            stats: (query) => supportStats(database.db, query),
          }),
        },
      ],
    });
    const server = await listen(app, 0, '127.0.0.1');
    const get = (query: string, token: string) =>
      fetch(`http://127.0.0.1:${server.port}/api/stats${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    try {
      const all = await get('?since=2025-06-01&until=2025-06-08', 'all-servers');
      assert.equal(all.status, 200);
      const body = (await all.json()) as SupportStats;
      assert.deepEqual(
        body.guilds.map((g) => [g.guildId, g.conversations.total, g.timeToAgent.medianSeconds]),
        [
          ['A', 4, 240],
          ['B', 1, null],
        ],
      );
      const scoped = (await (
        await get('?since=2025-06-01&until=2025-06-08', 'server-b')
      ).json()) as SupportStats;
      assert.deepEqual(
        scoped.guilds.map((g) => g.guildId),
        ['B'],
      );
      assert.equal((await get('?guild=A', 'server-b')).status, 403);
      assert.equal((await get('?since=soon', 'all-servers')).status, 400);
      assert.equal((await get('', 'wrong')).status, 401);
    } finally {
      await server.close();
    }
  });
});

describe('support analytics end to end: what the worker records', function () {
  this.timeout(120_000);

  it('a conversation handed to an agent shows in the stats with its times', async () => {
    const discord = await new FakeDiscord().start();
    const acme = discord.addGuild('Acme');
    const ana = discord.addUser('ana').id;
    discord.addMember(acme.guild.id, ana);
    const system = await startFlexcordSystem(discord, {
      DISCORD_GUILD_ID: acme.guild.id,
      SUPPORT_AGENT_SLA_SECONDS: '3600',
    });
    const database = await openCaseDatabase({ sqliteFile: path.join(system.config.dataDir, 'cases.db') });
    try {
      const dm = discord.dmChannelFor(ana);
      const question = discord.userSendsDm(ana, 'The game crashes on startup, what can I do?');
      const answer = await discord.waitForMessage(
        dm.id,
        (m: FakeMessage) => BigInt(m.id) > BigInt(question.id) && (m.embeds?.length ?? 0) > 0,
      );
      await discord.waitForReply(discord.pressButton(ana, answer, 'fc:request_human'));
      const task = await eventually(() => {
        const t = [...system.twilio.tasks.values()].find(
          (x) => x.attributes.flexcordWorkflowId === `support-${acme.guild.id}-${ana}`,
        );
        assert.ok(t, 'a Flex task for the conversation');
        return t;
      });
      const conversationSid = task.attributes.conversationSid as string;
      await system.twilio.agentAccepts(conversationSid, { identity: 'alice', name: 'Alice' });
      await system.twilio.agentReplies(conversationSid, 'Please update your graphics driver.');
      await system.twilio.agentCloses(conversationSid);

      const guild = await eventually(async () => {
        const stats = await supportStats(database.db, {
          from: new Date(Date.now() - 3_600_000),
          to: new Date(Date.now() + 60_000),
          guildId: acme.guild.id,
          scope: ALL_GUILDS,
        });
        const g = stats.guilds[0]!;
        assert.equal(g.handleTime.count, 1, 'closed after an agent joined');
        return g;
      });
      assert.deepEqual(g(guild.conversations), {
        total: 1,
        answeredByKnowledgeBase: 0,
        answeredByKnowledgeBaseShare: 0,
        handedToHuman: 1,
        reachedAgent: 1,
      });
      assert.equal(guild.timeToAgent.count, 1);
      assert.equal(guild.firstAgentResponse.count, 1);
      assert.ok(
        guild.timeToAgent.medianSeconds! <= guild.firstAgentResponse.medianSeconds!,
        'an agent joins before replying',
      );
    } finally {
      await database.close();
      await system.stop();
      await discord.stop();
    }
  });
});

/** A plain copy (the stats objects are plain already; this keeps deepEqual's message short). */
function g<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
