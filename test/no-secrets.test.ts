import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { DefaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import { buildDiscordPort } from '../src/activities/discord/build-discord-port';
import { createDiscordActivities } from '../src/activities/discord/activities';
import { createTwilioActivities } from '../src/activities/twilio/activities';
import { buildFlexPort } from '../src/activities/twilio/build-flex-port';
import { openCaseStore } from '../src/cases';
import { loadConfig } from '../src/config';
import { formatReport, jsonReport } from '../src/doctor/report';
import { runDoctor } from '../src/doctor/run-doctor';
import { createLogger } from '../src/logging/logger';
import { PinoTemporalLogger } from '../src/logging/temporal-logger';
import { MediaLinks } from '../src/media/media-links';
import { supportWorkflowId } from '../src/shared/support-types';
import { payloadDataConverter } from '../src/temporal/data-converter';
import { openSupportConversation, sendUserAction } from '../src/temporal/support-client';
import { FakeDiscord, waitFor } from '../src/sandbox/discord';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import {
  CANARY,
  exportedHistoryText,
  findCanaries,
  FlexcordProcess,
  reachableText,
} from './support/canaries';
import { freePort } from './support/free-port';
import { testEnv } from './support/global-fixtures';
import { uniqueTaskQueue } from './support/worker';

/*
 * No credential in any log or history. Every failure path flexcord has (Twilio unreachable, refusing or failing for
 * each activity; Discord failing; the database down; the media route; bad configuration) runs with canary
 * credentials, and everything flexcord writes down is searched for them: log output, the failures activities throw
 * (which Temporal stores), and the exported workflow histories.
 */

const CANARY_ENV = {
  TWILIO_ACCOUNT_SID: CANARY.accountSid,
  TWILIO_AUTH_TOKEN: CANARY.authToken,
  DISCORD_TOKEN: CANARY.discordToken,
  API_TOKENS: `${CANARY.apiToken}=*`,
  MEDIA_LINK_SECRET: CANARY.mediaLinkSecret,
  TWILIO_IDENTITY_SECRET: CANARY.identitySecret,
  OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${CANARY.otlpToken}`,
  CODEC_ENDPOINT_TOKEN: CANARY.codecToken,
  PAYLOAD_ENCRYPTION_KEYS: `k1=${Buffer.from(CANARY.payloadKey).toString('base64')}`,
};

function assertNoCanary(text: string, where: string): void {
  const found = findCanaries(text);
  assert.deepEqual(found, [], `${where} holds credentials (${found.join(', ')})`);
}

/** The production logger, writing JSON into memory. */
function capturedLogger() {
  const chunks: string[] = [];
  const logger = createLogger({ log: { level: 'trace', format: 'json' } }, 'flexcord', {
    write: (s: string) => {
      chunks.push(s);
    },
  });
  return { logger, text: () => chunks.join('') };
}

/** Logs a failure every way flexcord's code and the Temporal SDK (through PinoTemporalLogger) log errors. */
function logEveryWay(logger: ReturnType<typeof capturedLogger>['logger'], err: unknown): void {
  logger.error({ err }, 'call failed');
  new PinoTemporalLogger(logger).warn('Activity failed', { error: err, durationMs: 3 });
  logger.warn({ failure: { attempt: 2, last: err } }, 'nested');
}

/** What Temporal would store for the failure (history events, pending activity info). */
function encodedFailure(err: unknown): string {
  return reachableText(new DefaultFailureConverter().errorToFailure(err, defaultPayloadConverter));
}

async function rejection(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (err) {
    return err;
  }
  return undefined;
}

/** Forwards to the Twilio fake, or drops every connection while `down` (Twilio unreachable mid-conversation). */
class TwilioLine {
  down = false;
  private server?: http.Server;
  constructor(private readonly target: () => string) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      if (this.down) {
        req.socket.destroy();
        return;
      }
      const t = new URL(this.target());
      const upstream = http.request(
        { host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('no credential in any log or history', function () {
  this.timeout(120_000);
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-canary-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('the webhooks role, as a new user runs it: media links with Twilio unreachable, failing or refusing', async () => {
    const twilio = await new FakeTwilio({
      accountSid: CANARY.accountSid,
      authToken: CANARY.authToken,
    }).start();
    const port = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${port}`;
    const flexcord = new FlexcordProcess(['start', '--role', 'webhooks'], {
      ...CANARY_ENV,
      NODE_ENV: 'development',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
      FLEXCORD_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: testEnv().address,
      HTTP_PORT: String(port),
      PUBLIC_BASE_URL: publicBaseUrl,
      TWILIO_API_BASE_URL: twilio.url,
    });
    try {
      await flexcord.waitFor(/webhook server listening/);
      const link = new MediaLinks({
        secret: CANARY.mediaLinkSecret,
        publicBaseUrl,
        ttlSeconds: 600,
      }).linkFor({ serviceSid: twilio.serviceSid, mediaSid: `ME${'1'.repeat(32)}` });
      const status = async () => (await fetch(link, { redirect: 'manual' })).status;

      twilio.fail({ status: 500 });
      assert.equal(await status(), 502, 'Twilio 500');
      twilio.fail({ status: 401, code: 20003, message: 'Authenticate' });
      assert.equal(await status(), 502, 'Twilio 401');
      twilio.fail({ status: 400 });
      assert.equal(await status(), 502, 'Twilio 400');
      assert.equal(await status(), 404, 'unknown media');
      await twilio.stop();
      assert.equal(await status(), 502, 'Twilio unreachable');

      // The codec endpoint: the token in the path (as the Web UI sends it), as a bearer header, and a wrong one.
      const payloads = JSON.stringify({
        payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'IngiCg==' }],
      });
      const json = { 'content-type': 'application/json' };
      const decoded = await fetch(`${publicBaseUrl}/codec/t/${CANARY.codecToken}/decode`, {
        method: 'POST',
        headers: json,
        body: payloads,
      });
      assert.equal(decoded.status, 200, 'the codec endpoint answers with the right token');
      await fetch(`${publicBaseUrl}/codec/encode`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${CANARY.codecToken}` },
        body: payloads,
      });
      await fetch(`${publicBaseUrl}/codec/t/${CANARY.codecToken}x/decode`, {
        method: 'POST',
        headers: json,
        body: '{"payloads": [{"data": 12}',
      });

      // The case API: the right token, a wrong one, and a malformed body.
      const api = `${publicBaseUrl}/api/cases`;
      await fetch(api, { headers: { authorization: `Bearer ${CANARY.apiToken}` } });
      await fetch(api, { headers: { authorization: `Bearer ${CANARY.apiToken}x` } });
      await fetch(`${publicBaseUrl}/api/cases/1/close`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CANARY.apiToken}`, 'content-type': 'application/json' },
        body: `{"reason": "${CANARY.authToken}`,
      });
    } finally {
      await flexcord.stop();
      await twilio.stop();
    }
    assert.match(flexcord.output, /could not look up Twilio media/, 'the failures were logged');
    assertNoCanary(flexcord.output, 'the webhooks log');
  });

  it('the worker role: a conversation whose Discord and Twilio calls fail, in its log and its history', async () => {
    const { address, connection } = testEnv();
    // A client with the same payload keys as the worker (the history is encrypted; failure messages are not).
    const client = new Client({
      connection,
      dataConverter: payloadDataConverter(
        loadConfig({ ...CANARY_ENV, FLEXCORD_DATA_DIR: dataDir }, { dotenvPath: false }),
      ),
    });
    const discord = await new FakeDiscord({ token: CANARY.discordToken }).start();
    const twilio = await new FakeTwilio({
      accountSid: CANARY.accountSid,
      authToken: CANARY.authToken,
    }).start();
    const line = new TwilioLine(() => twilio.url);
    const acme = discord.addGuild('Acme');
    const ana = discord.addUser('ana').id;
    discord.addMember(acme.guild.id, ana);
    const taskQueue = uniqueTaskQueue('canary');
    const flexcord = new FlexcordProcess(['start', '--role', 'worker'], {
      ...CANARY_ENV,
      NODE_ENV: 'development',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
      FLEXCORD_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      TWILIO_FLEX_WORKSPACE_SID: twilio.workspaceSid,
      TWILIO_FLEX_WORKFLOW_SID: twilio.workflowSid,
      TWILIO_API_BASE_URL: await line.start(),
      PUBLIC_BASE_URL: 'http://127.0.0.1:9',
      KB_DIR: path.resolve(__dirname, '..', 'knowledge-base'),
    });
    const workflowId = supportWorkflowId(acme.guild.id, ana);
    const failures = (activity: string) =>
      flexcord.output
        .split('\n')
        .filter((l) => l.includes('Activity failed') && l.includes(`"activityType":"${activity}"`)).length;
    let history = '';
    try {
      await flexcord.waitFor(/worker polling/);
      // Discord answers 500 to the greeting once; Twilio is unreachable, then answers 503, then 400.
      discord.failNext('POST', /\/messages$/, { status: 500 });
      await openSupportConversation(client, {
        taskQueue,
        input: {
          user: { guildId: acme.guild.id, userId: ana, userName: 'ana' },
          timings: {
            inactivitySeconds: 3600,
            inactivityReminderSeconds: 3000,
            agentSlaSeconds: 3600,
            ratingWindowSeconds: 5,
          },
          preferThread: false,
        },
      });
      line.down = true;
      await sendUserAction(client, { workflowId, signal: 'requestHuman', event: { eventId: 'rh-canary' } });
      await waitFor(() => failures('ensureFlexConversation') >= 2, 60_000, 'two unreachable attempts');
      twilio.fail({ status: 503 });
      twilio.fail({ status: 400, message: 'Invalid parameter' });
      line.down = false;
      await discord.waitForMessage(
        discord.dmChannelFor(ana).id,
        (m) => /couldn't connect you to an agent/.test(m.content),
        60_000,
      );
      assert.ok(failures('sendToDiscord') >= 1, 'the Discord 500 was logged');
      assert.ok(failures('ensureFlexConversation') >= 4, 'unreachable twice, 503, then 400');
      history = await exportedHistoryText(client, workflowId);
      assert.match(history, /Invalid parameter/, 'the permanent failure is in the history');
    } finally {
      await flexcord.stop();
      await client.workflow
        .getHandle(workflowId)
        .terminate()
        .catch(() => undefined);
      await line.stop();
      await twilio.stop();
      await discord.stop();
    }
    assertNoCanary(flexcord.output, 'the worker log');
    assertNoCanary(history, 'the workflow history');
  });

  for (const credentials of ['auth token', 'API key'] as const) {
    it(`every Twilio activity, unreachable, 4xx and 5xx (${credentials}): failure, logs, encoded failure`, async () => {
      const twilio = await new FakeTwilio({
        accountSid: CANARY.accountSid,
        authToken: CANARY.authToken,
      }).start();
      const closedPort = await freePort();
      const capture = capturedLogger();
      const activitiesAt = (apiBaseUrl: string) => {
        const config = loadConfig(
          {
            ...CANARY_ENV,
            ...(credentials === 'API key'
              ? { TWILIO_AUTH_TOKEN: '', TWILIO_API_KEY: CANARY.apiKey, TWILIO_API_SECRET: CANARY.apiSecret }
              : {}),
            TWILIO_FLEX_WORKSPACE_SID: twilio.workspaceSid,
            TWILIO_FLEX_WORKFLOW_SID: twilio.workflowSid,
            TWILIO_API_BASE_URL: apiBaseUrl,
            PUBLIC_BASE_URL: 'http://127.0.0.1:9',
            FLEXCORD_DATA_DIR: dataDir,
          },
          { dotenvPath: false },
        );
        return createTwilioActivities(buildFlexPort(config, capture.logger));
      };
      const conversation = { conversationSid: `CH${'0'.repeat(32)}`, customerIdentity: 'discord_2' };
      const handoff = { interactionSid: `KD${'0'.repeat(32)}`, channelSid: `UO${'0'.repeat(32)}` };
      const user = { guildId: '1', userId: '2', userName: 'ana' };
      type Activities = ReturnType<typeof createTwilioActivities>;
      const calls: Record<keyof Activities, (a: Activities) => Promise<unknown>> = {
        ensureFlexConversation: (a) =>
          a.ensureFlexConversation({
            workflowId: 'support-1-2',
            user,
            channel: { channelId: '3', kind: 'dm' },
            caseNumber: 1001,
          }),
        postCustomerMessage: (a) =>
          a.postCustomerMessage({ conversation, text: 'hi', attachments: [], dedupeKey: 'm1' }),
        handToFlex: (a) =>
          a.handToFlex({ conversation, workflowId: 'support-1-2', caseNumber: 1001, taskAttributes: {} }),
        escalateFlexTask: (a) => a.escalateFlexTask({ handoff, priority: 10 }),
        fetchFlexUpdates: (a) => a.fetchFlexUpdates({ conversation, handoff }),
        listFlexTasks: (a) => a.listFlexTasks({ handoff }),
        estimateAgentWait: (a) => a.estimateAgentWait({ handoff }),
        closeFlexConversation: (a) => a.closeFlexConversation({ conversation, handoff }),
      };
      const outcomes: string[] = [];
      try {
        for (const [name, call] of Object.entries(calls)) {
          for (const fault of ['unreachable', 400, 401, 500] as const) {
            if (typeof fault === 'number') twilio.fail({ status: fault, times: 100 });
            const err = await rejection(
              call(activitiesAt(fault === 'unreachable' ? `http://127.0.0.1:${closedPort}` : twilio.url)),
            );
            twilio.faults.clear();
            outcomes.push(`${name} ${fault}: ${err ? 'failed' : 'succeeded'}`);
            if (!err) continue;
            assertNoCanary(reachableText(err), `the failure of ${name} (${fault})`);
            assertNoCanary(encodedFailure(err), `the encoded failure of ${name} (${fault})`);
            logEveryWay(capture.logger, err);
          }
        }
      } finally {
        await twilio.stop();
      }
      assert.ok(
        outcomes.filter((o) => o.endsWith('failed')).length >= 24,
        `most calls fail:\n${outcomes.join('\n')}`,
      );
      assert.match(capture.text(), /Activity failed/);
      assertNoCanary(capture.text(), 'the log');
    });
  }

  it('every Discord activity on a Discord 5xx and with Discord unreachable', async () => {
    const discord = await new FakeDiscord({ token: CANARY.discordToken, rateLimits: [] }).start();
    const acme = discord.addGuild('Acme');
    const ana = discord.addUser('ana').id;
    discord.addMember(acme.guild.id, ana);
    const capture = capturedLogger();
    const config = loadConfig(
      { ...CANARY_ENV, DISCORD_API_URL: discord.apiUrl, FLEXCORD_DATA_DIR: dataDir },
      { dotenvPath: false },
    );
    const activities = createDiscordActivities(buildDiscordPort(config.discord, capture.logger));
    const dm = { channelId: discord.dmChannelFor(ana).id, kind: 'dm' as const };
    const calls = [
      () =>
        activities.openSupportChannel({
          user: { guildId: acme.guild.id, userId: ana, userName: 'ana' },
          preferThread: true,
        }),
      () => activities.sendToDiscord({ channel: dm, dedupeKey: 'd1', kind: 'notice', text: 'hello' }),
      () => activities.sendDirectMessage({ userId: ana, dedupeKey: 'd2', text: 'hello' }),
      () =>
        activities.postGuildChannelNotice({
          guildId: acme.guild.id,
          channelName: 'support',
          dedupeKey: 'd3',
          embed: { title: 'x' },
        }),
    ];
    let failed = 0;
    try {
      for (const down of [false, true]) {
        // First every request answers 503, then nothing answers at all.
        if (down) await discord.stop();
        else discord.outage = true;
        for (const call of calls) {
          const err = await rejection(call());
          if (!err) continue;
          failed += 1;
          assertNoCanary(reachableText(err), 'a Discord failure');
          assertNoCanary(encodedFailure(err), 'an encoded Discord failure');
          logEveryWay(capture.logger, err);
        }
      }
    } finally {
      await discord.stop();
    }
    assert.equal(failed, calls.length * 2, 'every call failed');
    assertNoCanary(capture.text(), 'the log');
  });

  it('the database down: the worker stops with a message that names no password, and logs none', async () => {
    const closedPort = await freePort();
    const databaseUrl = `postgres://flexcord:${CANARY.dbPassword}@127.0.0.1:${closedPort}/flexcord`;
    const capture = capturedLogger();
    const err = await rejection(
      openCaseStore(
        loadConfig({ DATABASE_URL: databaseUrl, FLEXCORD_DATA_DIR: dataDir }, { dotenvPath: false }),
      ),
    );
    assert.ok(err, 'the store cannot open');
    logEveryWay(capture.logger, err);
    assertNoCanary(capture.text(), 'the log');

    const flexcord = new FlexcordProcess(['start', '--role', 'worker'], {
      ...CANARY_ENV,
      NODE_ENV: 'development',
      LOG_FORMAT: 'json',
      FLEXCORD_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: testEnv().address,
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('canary-db'),
      DATABASE_URL: databaseUrl,
      KB_DIR: path.resolve(__dirname, '..', 'knowledge-base'),
    });
    const code = await flexcord.exited;
    assert.notEqual(code, 0);
    assert.match(flexcord.output, /ECONNREFUSED|connect/);
    assertNoCanary(flexcord.output, 'the start-up failure');
  });

  it('flexcord doctor with every check failing: no credential in its report, as text or JSON', async () => {
    // Discord and Twilio that know other credentials (401 each), a database and a public URL that do not answer.
    const discord = await new FakeDiscord({ token: 'another-discord-token' }).start();
    const twilio = await new FakeTwilio({ authToken: 'another-auth-token-0123456789' }).start();
    const closedPort = await freePort();
    const env = {
      ...CANARY_ENV,
      NODE_ENV: 'development',
      FLEXCORD_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: testEnv().address,
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('canary-doctor'),
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_APPLICATION_ID: discord.applicationId,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_FLEX_WORKSPACE_SID: twilio.workspaceSid,
      TWILIO_FLEX_WORKFLOW_SID: twilio.workflowSid,
      DATABASE_URL: `postgres://flexcord:${CANARY.dbPassword}@127.0.0.1:${closedPort}/flexcord`,
      // A proxy's basic-auth credentials in the public URL (undici refuses such a URL, quoting it).
      PUBLIC_BASE_URL: `http://flexcord:${CANARY.apiSecret}@127.0.0.1:${closedPort}`,
      KB_DIR: path.join(dataDir, 'no-knowledge-base'),
    };
    try {
      // The checks' own words, before the report's last line of defence blanks configured secrets.
      const { results } = await runDoctor(() => loadConfig(env, { dotenvPath: false }), {
        timeoutMs: 3000,
        workerTimeoutMs: 3000,
      });
      const failed = results.filter((r) => r.status === 'fail').map((r) => r.id);
      for (const id of ['discord.token', 'twilio.credentials', 'caseStore', 'publicUrl', 'temporal.worker'])
        assert.ok(failed.includes(id), `${id} fails (failed: ${failed.join(', ')})`);
      assertNoCanary(formatReport(results) + jsonReport(results), 'the doctor report');

      // The command as an operator runs it, with an API key instead of the auth token.
      const flexcord = new FlexcordProcess(['doctor', '--json', '--check-timeout', '3', '--timeout', '3'], {
        ...env,
        TWILIO_API_KEY: CANARY.apiKey,
        TWILIO_API_SECRET: CANARY.apiSecret,
      });
      assert.equal(await flexcord.exited, 1);
      // The output holds stdout and stderr; the report is the JSON document in it.
      const json = flexcord.output.slice(flexcord.output.indexOf('{'), flexcord.output.lastIndexOf('}') + 1);
      const report = JSON.parse(json) as { checks: { id: string; status: string }[] };
      assert.equal(report.checks.find((c) => c.id === 'twilio.credentials')?.status, 'fail');
      assertNoCanary(flexcord.output, 'the doctor command');
    } finally {
      await discord.stop();
      await twilio.stop();
    }
  });

  it('bad configuration names the variables, never their values', async () => {
    const flexcord = new FlexcordProcess(['start', '--role', 'webhooks'], {
      ...CANARY_ENV,
      FLEXCORD_DATA_DIR: dataDir,
      HTTP_PORT: CANARY.apiToken,
      PUBLIC_BASE_URL: CANARY.authToken,
      TWILIO_CONVERSATION_INACTIVE_TIMER: CANARY.apiSecret,
      FEED_ALLOWED_PRIVATE_RANGES: CANARY.dbPassword,
      MEDIA_LINK_TTL_SECONDS: CANARY.mediaLinkSecret,
    });
    assert.equal(await flexcord.exited, 2);
    for (const name of [
      'HTTP_PORT',
      'PUBLIC_BASE_URL',
      'TWILIO_CONVERSATION_INACTIVE_TIMER',
      'FEED_ALLOWED_PRIVATE_RANGES',
      'MEDIA_LINK_TTL_SECONDS',
    ])
      assert.match(flexcord.output, new RegExp(name));
    assertNoCanary(flexcord.output, 'the configuration error');
  });
});
