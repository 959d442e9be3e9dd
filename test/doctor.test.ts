import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Router } from 'express';
import pino from 'pino';
import { REST } from '@discordjs/rest';
import { msToTs } from '@temporalio/common/lib/time';
import { Worker } from '@temporalio/worker';
import { workflowTracingSinks } from '../src/observability/workflow-tracing';
import { createDiagnosticsActivities } from '../src/activities/diagnostics';
import { setupChannels } from '../src/bot/setup-channels';
import { openCaseDatabase, openCaseStore } from '../src/cases';
import { migrateCases } from '../src/cases/migrations';
import { migrateFeedLedger } from '../src/activities/feeds/feed-migrations';
import { migrateModeration } from '../src/moderation/migrations';
import { type Config, loadConfig } from '../src/config';
import { type CheckResult } from '../src/doctor/check';
import {
  DOCTOR_EXIT_CODES,
  exitCodeFor,
  formatReport,
  jsonReport,
  withoutSecrets,
} from '../src/doctor/report';
import { runDoctor } from '../src/doctor/run-doctor';
import { FakeDiscord } from '../src/sandbox/discord';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { createWebhookApp } from '../src/webhooks/app';
import { listen, type RunningHttpServer } from '../src/webhooks/http-server';
import { twilioWebhookRouters } from '../src/webhooks/twilio/mount';
import { freePort } from './support/free-port';
import { testEnv, workflowBundle } from './support/global-fixtures';
import { uniqueTaskQueue, withWorker } from './support/worker';

/*
 * `flexcord doctor` against a whole setup made of the local fakes: the Discord and Twilio fakes, the real Temporal
 * dev server with a worker, a migrated SQLite case store, the repository's knowledge base, and a webhook server
 * behind PUBLIC_BASE_URL. The good setup passes every check; each test then breaks one thing and expects exactly
 * that check to fail, with its fix.
 */
const root = path.resolve(__dirname, '..');
const AUTH_TOKEN = 'doctor-test-auth-token-0123456789';
const DISCORD_TOKEN = 'doctor-test-discord-token-0123456789';

describe('flexcord doctor', function () {
  this.timeout(60_000);
  let discord: FakeDiscord;
  let twilio: FakeTwilio;
  let webhooks: RunningHttpServer;
  let dataDir: string;
  let guildId: string;
  let taskQueue: string;
  let env: Record<string, string>;

  const configFrom = (overrides: Record<string, string | undefined> = {}): Config => {
    const merged: Record<string, string> = { ...env };
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) delete merged[key];
      else merged[key] = value;
    }
    return loadConfig(merged, { dotenvPath: false });
  };

  const doctor = async (overrides: Record<string, string | undefined> = {}, timeoutMs = 3000) => {
    const { results } = await runDoctor(() => configFrom(overrides), { timeoutMs, workerTimeoutMs: 10_000 });
    return results;
  };

  /** Runs doctor while a worker serves the task queue, as a running flexcord does. */
  const doctorWithWorker = (overrides: Record<string, string | undefined> = {}) =>
    withWorker(
      createDiagnosticsActivities({ workerIdentity: 'doctor-test-worker' }),
      () => doctor(overrides),
      {
        taskQueue,
      },
    );

  const check = (results: CheckResult[], id: string): CheckResult => {
    const found = results.find((r) => r.id === id);
    assert.ok(found, `no check ${id} in ${results.map((r) => r.id).join(', ')}`);
    return found;
  };

  /** Exactly the named checks failed (others passed or were skipped after them). */
  const assertOnlyFailed = (results: CheckResult[], ids: string[]) => {
    assert.deepEqual(
      results.filter((r) => r.status === 'fail').map((r) => r.id),
      ids,
      formatReport(results),
    );
    assert.equal(exitCodeFor(results), DOCTOR_EXIT_CODES.failed);
  };

  before(async () => {
    discord = await new FakeDiscord({ token: DISCORD_TOKEN, rateLimits: [], globalRateLimit: false }).start();
    const made = discord.addGuild('Acme');
    guildId = made.guild.id;
    const rest = new REST({ api: discord.apiUrl }).setToken(DISCORD_TOKEN);
    await setupChannels(rest, {
      guildId,
      botUserId: discord.botUser.id,
      names: {
        announcements: 'announcements',
        bugReports: 'bug-reports',
        featureRequests: 'feature-requests',
        support: 'support',
        staff: 'case-followup',
      },
    });
    twilio = await new FakeTwilio({ authToken: AUTH_TOKEN }).start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-doctor-'));
    taskQueue = uniqueTaskQueue('doctor');
    const port = await freePort();
    env = {
      NODE_ENV: 'test',
      FLEXCORD_DATA_DIR: dataDir,
      KB_DIR: path.join(root, 'knowledge-base'),
      TEMPORAL_ADDRESS: testEnv().address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      HTTP_PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FLEX_WORKSPACE_SID: twilio.workspaceSid,
      TWILIO_FLEX_WORKFLOW_SID: twilio.workflowSid,
      TWILIO_CONVERSATIONS_SERVICE_SID: twilio.serviceSid,
      TWILIO_API_BASE_URL: twilio.url,
    };
    const config = configFrom();
    // The case store as the roles leave it: created, and the cases', abuse controls' and feed ledger's tables migrated.
    const store = await openCaseStore(config);
    await migrateModeration(store.database.db);
    await migrateFeedLedger(store.database.db);
    await store.close();
    // The webhooks role's Twilio routes, mounted as the role mounts them, behind PUBLIC_BASE_URL.
    const logger = pino({ level: 'silent' });
    const app = createWebhookApp({
      logger,
      readiness: async () => undefined,
      routers: twilioWebhookRouters({ config, logger, client: testEnv().client }),
    });
    webhooks = await listen(app, port, '127.0.0.1');
  });

  after(async () => {
    await webhooks?.close();
    await discord?.stop();
    await twilio?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    // Every call doctor made was one the real APIs have, answered as they answer.
    assert.deepEqual(discord.checker.violations, []);
    assert.deepEqual(discord.unhandled, []);
    assert.deepEqual(twilio.specViolations, []);
  });

  it('passes every check on a good setup and exits 0', async () => {
    const results = await doctorWithWorker();
    assert.deepEqual(
      results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.detail}`),
      [],
      formatReport(results),
    );
    assert.equal(exitCodeFor(results), DOCTOR_EXIT_CODES.ok);
    assert.match(check(results, 'discord.token').detail, /flexcord-bot/);
    assert.match(check(results, 'discord.servers').detail, /Acme/);
    assert.match(check(results, 'knowledgeBase').detail, /^\d+ articles/);
    assert.match(check(results, 'caseStore').detail, /all 6 migrations applied/);
    assert.match(check(results, 'temporal.worker').detail, /doctor-test-worker/);
    assert.ok(check(results, `discord.channels.${guildId}`));
  });

  it('names the missing variables of each role, and the roles that lack them fail', async () => {
    const results = await doctorWithWorker({ DISCORD_APPLICATION_ID: undefined, PUBLIC_BASE_URL: undefined });
    assertOnlyFailed(results, ['settings.worker', 'settings.bot', 'settings.webhooks']);
    assert.match(check(results, 'settings.bot').detail, /DISCORD_APPLICATION_ID/);
    assert.doesNotMatch(check(results, 'settings.bot').detail, /DISCORD_TOKEN/);
    assert.match(check(results, 'settings.webhooks').detail, /PUBLIC_BASE_URL/);
    assert.equal(check(results, 'publicUrl').status, 'skip');
  });

  it('an invalid setting fails the settings check, naming the variable but not its value', async () => {
    const results = await doctor({ HTTP_PORT: 'not-a-port-secret-value' });
    assert.deepEqual(
      results.map((r) => [r.id, r.status]),
      [['settings', 'fail']],
    );
    assert.match(results[0]!.detail, /HTTP_PORT/);
    assert.doesNotMatch(results[0]!.detail, /not-a-port-secret-value/);
    assert.match(results[0]!.fix!, /\.env\.example/);
  });

  describe('Discord', () => {
    it('a token Discord refuses (401) fails with how to get a new one, and the Discord checks after it are skipped', async () => {
      const results = await doctorWithWorker({ DISCORD_TOKEN: 'a-revoked-discord-token-0123456789' });
      assertOnlyFailed(results, ['discord.token']);
      assert.match(check(results, 'discord.token').detail, /refused DISCORD_TOKEN.*HTTP 401/);
      assert.match(check(results, 'discord.token').fix!, /Reset Token/);
      assert.equal(check(results, 'discord.intents').status, 'skip');
      assert.equal(check(results, 'discord.servers').status, 'skip');
    });

    it('the Message Content intent switched off in the developer portal fails, saying where to switch it on', async () => {
      discord.messageContentIntent = false;
      try {
        const results = await doctorWithWorker();
        assertOnlyFailed(results, ['discord.intents']);
        assert.match(check(results, 'discord.intents').detail, /Message Content intent is off/);
        assert.match(check(results, 'discord.intents').fix!, /Privileged Gateway Intents/);
      } finally {
        discord.messageContentIntent = true;
      }
    });

    it('a DISCORD_APPLICATION_ID of another application fails with the right id', async () => {
      const results = await doctorWithWorker({ DISCORD_APPLICATION_ID: '123456789012345678' });
      assertOnlyFailed(results, ['discord.intents']);
      assert.equal(
        check(results, 'discord.intents').fix,
        `set DISCORD_APPLICATION_ID=${discord.applicationId}`,
      );
    });

    it('a missing channel and a channel without the bot permissions fail with the setup-channels command', async () => {
      const bugs = discord.channelByName(guildId, 'bug-reports')!;
      const support = discord.channelByName(guildId, 'support')!;
      const supportOverwrites = support.overwrites;
      bugs.name = 'old-bugs';
      support.overwrites = supportOverwrites.filter((o) => o.id !== discord.botUser.id);
      try {
        const results = await doctorWithWorker();
        const channels = check(results, `discord.channels.${guildId}`);
        assertOnlyFailed(results, [channels.id]);
        assert.match(channels.detail, /#bug-reports is missing/);
        assert.match(channels.detail, /#support lacks the bot's permissions/);
        // The bot has no Manage Channels or Manage Roles in the fake server, so the fix says to grant them first.
        assert.match(channels.fix!, /Manage Channels and Manage Roles/);
        assert.match(channels.fix!, new RegExp(`flexcord setup-channels --guild ${guildId}`));
      } finally {
        bugs.name = 'bug-reports';
        support.overwrites = supportOverwrites;
      }
    });

    it('a DISCORD_GUILD_ID the bot is not in fails with the invite link', async () => {
      const results = await doctorWithWorker({ DISCORD_GUILD_ID: '123456789012345678' });
      assertOnlyFailed(results, ['discord.servers']);
      assert.match(check(results, 'discord.servers').fix!, /discord\.com\/oauth2\/authorize\?client_id=/);
    });
  });

  describe('Twilio', () => {
    it('credentials Twilio refuses (401) fail, and the SID checks after them are skipped', async () => {
      const results = await doctorWithWorker({ TWILIO_AUTH_TOKEN: 'a-wrong-auth-token-0123456789' });
      // The webhook server still checks signatures with the right token, so the self-call fails too.
      assertOnlyFailed(results, ['twilio.credentials', 'publicUrl']);
      assert.match(check(results, 'twilio.credentials').detail, /refused the credentials.*HTTP 401/);
      for (const id of [
        'twilio.workspace',
        'twilio.workflow',
        'twilio.taskChannel',
        'twilio.conversationsService',
      ])
        assert.equal(check(results, id).status, 'skip', id);
    });

    it('a workspace SID Twilio does not know (404) fails with where to find the right one', async () => {
      const results = await doctorWithWorker({ TWILIO_FLEX_WORKSPACE_SID: `WS${'0'.repeat(32)}` });
      assertOnlyFailed(results, ['twilio.workspace']);
      assert.equal(check(results, 'twilio.credentials').status, 'pass');
      assert.match(check(results, 'twilio.workspace').detail, /not found.*HTTP 404/);
      assert.match(check(results, 'twilio.workspace').fix!, /TWILIO_FLEX_WORKSPACE_SID/);
    });

    it('an unknown workflow SID, task channel and Conversations service each fail on their own line', async () => {
      const results = await doctorWithWorker({
        TWILIO_FLEX_WORKFLOW_SID: `WW${'0'.repeat(32)}`,
        TWILIO_TASK_CHANNEL: 'carrier-pigeon',
        TWILIO_CONVERSATIONS_SERVICE_SID: `IS${'0'.repeat(32)}`,
      });
      assertOnlyFailed(results, ['twilio.workflow', 'twilio.taskChannel', 'twilio.conversationsService']);
      assert.match(check(results, 'twilio.workflow').fix!, /TWILIO_FLEX_WORKFLOW_SID/);
      assert.match(
        check(results, 'twilio.taskChannel').detail,
        /no task channel carrier-pigeon \(it has .*chat/,
      );
      assert.match(check(results, 'twilio.conversationsService').fix!, /TWILIO_CONVERSATIONS_SERVICE_SID/);
    });
  });

  describe('PUBLIC_BASE_URL', () => {
    it('a URL where nothing answers fails with how to expose the webhooks role', async () => {
      const results = await doctorWithWorker({ PUBLIC_BASE_URL: `http://127.0.0.1:${await freePort()}` });
      assertOnlyFailed(results, ['publicUrl']);
      assert.match(check(results, 'publicUrl').detail, /does not answer/);
      assert.match(check(results, 'publicUrl').fix!, /--role webhooks/);
    });

    it('a URL with a proxy password passes it as Basic auth, and signs the URL as configured', async () => {
      const port = await freePort();
      const publicBaseUrl = `http://proxy-user:proxy-password-0123@127.0.0.1:${port}`;
      const logger = pino({ level: 'silent' });
      const config = configFrom({ PUBLIC_BASE_URL: publicBaseUrl, HTTP_PORT: String(port) });
      // A proxy in front of the webhook server that lets only its own user through.
      const expected = `Basic ${Buffer.from('proxy-user:proxy-password-0123').toString('base64')}`;
      const proxyGate = Router().use((req, res, next) => {
        if (req.get('authorization') === expected) next();
        else res.status(401).json({ error: 'proxy_auth' });
      });
      const behindProxy = await listen(
        createWebhookApp({
          logger,
          readiness: async () => undefined,
          routers: [
            { path: '/', router: proxyGate },
            ...twilioWebhookRouters({ config, logger, client: testEnv().client }),
          ],
        }),
        port,
        '127.0.0.1',
      );
      try {
        const results = await doctorWithWorker({ PUBLIC_BASE_URL: publicBaseUrl, HTTP_PORT: String(port) });
        assert.equal(check(results, 'publicUrl').status, 'pass', formatReport(results));
        assert.doesNotMatch(JSON.stringify(results), /proxy-password-0123/);
      } finally {
        await behindProxy.close();
      }
    });

    it('a URL reaching a flexcord with another auth token fails on the signature', async () => {
      const other = await new FakeTwilio({ authToken: 'another-auth-token-0123456789' }).start();
      try {
        // Same webhook server, but doctor signs with another account's token (and uses that account).
        const results = await doctorWithWorker({
          TWILIO_ACCOUNT_SID: other.accountSid,
          TWILIO_AUTH_TOKEN: 'another-auth-token-0123456789',
          TWILIO_API_BASE_URL: other.url,
          TWILIO_FLEX_WORKSPACE_SID: other.workspaceSid,
          TWILIO_FLEX_WORKFLOW_SID: other.workflowSid,
          TWILIO_CONVERSATIONS_SERVICE_SID: other.serviceSid,
        });
        assertOnlyFailed(results, ['publicUrl']);
        assert.match(check(results, 'publicUrl').detail, /rejects the signature/);
      } finally {
        await other.stop();
      }
    });
  });

  describe('Temporal', () => {
    it('an address where no Temporal answers fails within the check timeout, with what to check', async () => {
      const started = Date.now();
      const results = await doctor({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` }, 2000);
      assert.ok(Date.now() - started < 10_000, 'an unreachable Temporal fails in seconds');
      assertOnlyFailed(results, ['temporal.reachable']);
      assert.match(check(results, 'temporal.reachable').fix!, /unset TEMPORAL_ADDRESS/);
      assert.equal(check(results, 'temporal.worker').status, 'skip');
    });

    it('without TEMPORAL_ADDRESS and nothing running, the fix says to start flexcord with npm start', async () => {
      const results = await doctor(
        { TEMPORAL_ADDRESS: undefined, TEMPORAL_DEV_PORT: String(await freePort()) },
        2000,
      );
      assertOnlyFailed(results, ['temporal.reachable']);
      assert.match(check(results, 'temporal.reachable').fix!, /npm start/);
    });

    it('a worker that stopped fails once the self-test workflow times out', async () => {
      // A worker polls the queue, then stops; Temporal still lists it as a poller for minutes.
      assert.equal(check(await doctorWithWorker(), 'temporal.worker').status, 'pass');
      const results = await runDoctor(() => configFrom(), { timeoutMs: 3000, workerTimeoutMs: 2000 }).then(
        (r) => r.results,
      );
      assertOnlyFailed(results, ['temporal.worker']);
      assert.match(
        check(results, 'temporal.worker').detail,
        /no worker ran a self-test workflow .* within 2 s \(recently seen: /,
      );
    });

    it('a worker that does not serve the Discord send queue fails, since nothing it posts would reach Discord', async () => {
      const queue = uniqueTaskQueue('doctor-no-sends');
      const worker = await Worker.create({
        connection: testEnv().nativeConnection,
        taskQueue: queue,
        workflowBundle: await workflowBundle(),
        activities: createDiagnosticsActivities({ workerIdentity: 'half-a-worker' }),
        sinks: workflowTracingSinks(),
      });
      const results = await worker.runUntil(doctor({ TEMPORAL_TASK_QUEUE: queue }));
      assertOnlyFailed(results, ['temporal.worker']);
      assert.match(
        check(results, 'temporal.worker').detail,
        /no worker polls the Discord send queue .*-discord-sends/,
      );
    });

    it('a namespace without flexcord search attributes fails with the command that creates them', async () => {
      const namespace = `doctor-bare-${Date.now()}`;
      await testEnv().client.connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('1 day'),
      });
      const results = await doctor({ TEMPORAL_NAMESPACE: namespace }, 5000);
      const attributes = check(results, 'temporal.searchAttributes');
      assert.equal(attributes.status, 'fail', formatReport(results));
      assert.match(attributes.detail, /SupportPhase \(Keyword\)/);
      assert.match(
        attributes.fix!,
        new RegExp(
          `temporal operator search-attribute create --namespace ${namespace} --name SupportPhase --type Keyword`,
        ),
      );
      // No worker polls the fresh namespace either.
      assert.equal(check(results, 'temporal.worker').status, 'fail');
    });

    it('no worker on the task queue fails at once with how to start one', async () => {
      const started = Date.now();
      const results = await doctor({ TEMPORAL_TASK_QUEUE: uniqueTaskQueue('doctor-idle') });
      assert.ok(Date.now() - started < 5000, 'no waiting for the self-test when nothing polls');
      assertOnlyFailed(results, ['temporal.worker']);
      assert.match(check(results, 'temporal.worker').detail, /no worker polls task queue/);
      assert.match(check(results, 'temporal.worker').fix!, /--role worker/);
    });
  });

  describe('storage', () => {
    it('a knowledge base with a broken article fails naming the file', async () => {
      const kb = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-doctor-kb-'));
      fs.writeFileSync(
        path.join(kb, 'good.md'),
        '---\ntitle: Good\nurl: https://example.com/good\n---\nBody',
      );
      fs.writeFileSync(path.join(kb, 'broken.md'), '---\ntitle: Broken\n---\nNo url');
      try {
        const results = await doctorWithWorker({ KB_DIR: kb });
        assertOnlyFailed(results, ['knowledgeBase']);
        assert.match(check(results, 'knowledgeBase').detail, /1 of 2 articles do not load \(broken\.md: /);
      } finally {
        fs.rmSync(kb, { recursive: true, force: true });
      }
    });

    it('an empty or missing knowledge base folder fails', async () => {
      const results = await doctorWithWorker({ KB_DIR: path.join(dataDir, 'no-such-folder') });
      assertOnlyFailed(results, ['knowledgeBase']);
      assert.match(check(results, 'knowledgeBase').fix!, /KB_DIR/);
    });

    it('a case store behind on migrations fails listing the pending ones, without migrating it', async () => {
      const behind = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-doctor-cases-'));
      const sqliteFile = path.join(behind, 'cases.db');
      const database = await openCaseDatabase({ sqliteFile, migrate: false });
      await migrateCases(database.db, 'sqlite', '0002_links_and_closed_at');
      await database.close();
      try {
        const results = await doctorWithWorker({ FLEXCORD_DATA_DIR: behind });
        assertOnlyFailed(results, ['caseStore']);
        assert.match(
          check(results, 'caseStore').detail,
          /2 of 6 migrations applied, pending: cases 0003_transcript_revisions, cases 0004_support_conversations, moderation 0001_blocks_and_rate_limits, feeds 0001_feed_items/,
        );
        const again = await doctorWithWorker({ FLEXCORD_DATA_DIR: behind });
        assert.equal(check(again, 'caseStore').status, 'fail', 'doctor did not migrate the store itself');
      } finally {
        fs.rmSync(behind, { recursive: true, force: true });
      }
    });

    it('an unreachable PostgreSQL fails without showing its password', async () => {
      const url = `postgres://flexcord:pg-secret-password-123@127.0.0.1:${await freePort()}/flexcord`;
      const results = await doctorWithWorker({ DATABASE_URL: url });
      assertOnlyFailed(results, ['caseStore']);
      const store = check(results, 'caseStore');
      assert.match(store.detail, /cannot read postgres:\/\/flexcord:\*\*\*@127\.0\.0\.1/);
      assert.match(store.fix!, /PostgreSQL/);
      assert.doesNotMatch(JSON.stringify(results), /pg-secret-password-123/);
    });
  });

  describe('output', () => {
    it('--json lists every check with id, title, status, detail and fix, and the exit code', async () => {
      const results = await doctorWithWorker({ DISCORD_TOKEN: 'a-revoked-discord-token-0123456789' });
      const json = JSON.parse(jsonReport(results)) as {
        ok: boolean;
        exitCode: number;
        checks: { id: string; title: string; status: string; detail: string; fix?: string; ms: number }[];
      };
      assert.equal(json.ok, false);
      assert.equal(json.exitCode, 1);
      assert.deepEqual(
        json.checks.map((c) => c.id),
        results.map((r) => r.id),
      );
      const token = json.checks.find((c) => c.id === 'discord.token')!;
      assert.equal(token.status, 'fail');
      assert.equal(typeof token.fix, 'string');
      assert.ok(json.checks.every((c) => typeof c.title === 'string' && typeof c.ms === 'number'));
      assert.ok(json.checks.filter((c) => c.status !== 'fail').every((c) => c.fix === undefined));
    });

    it('the text report has one ✓/✗ line per check and the fix under each failure', async () => {
      const results = await doctorWithWorker({ TWILIO_TASK_CHANNEL: 'carrier-pigeon' });
      const lines = formatReport(results).split('\n');
      assert.ok(lines.some((l) => l.startsWith('✗ Twilio task channel: ')));
      const at = lines.findIndex((l) => l.startsWith('✗ Twilio task channel'));
      assert.match(lines[at + 1]!, /^ {4}fix: set TWILIO_TASK_CHANNEL/);
      assert.ok(lines.some((l) => l.startsWith('✓ Discord token: ')));
      assert.match(lines.at(-1)!, /^1 of \d+ checks failed/);
    });

    it('never prints a configured secret, even when a message quotes one', async () => {
      const config = configFrom({ MEDIA_LINK_SECRET: 'media-link-secret-0123456789' });
      const text = withoutSecrets(
        `token ${DISCORD_TOKEN}, auth ${AUTH_TOKEN}, link media-link-secret-0123456789`,
        config,
      );
      assert.equal(text, 'token [redacted], auth [redacted], link [redacted]');
      const results = await doctorWithWorker({ DISCORD_TOKEN: 'a-revoked-discord-token-0123456789' });
      const report = formatReport(results) + jsonReport(results);
      for (const secret of [AUTH_TOKEN, 'a-revoked-discord-token-0123456789'])
        assert.ok(!report.includes(secret), `the report shows ${secret}`);
    });
  });
});
