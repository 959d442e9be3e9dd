import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDiscordRest } from '../src/activities/discord/discord-rest-port';
import { createTwilioClient } from '../src/activities/twilio/twilio-client';
import { createObservability, type Observability } from '../src/observability';
import { startMetricsServer } from '../src/observability/metrics-server';
import { discordRouteTemplate, twilioRouteTemplate } from '../src/observability/routes';
import { FakeDiscord } from '../src/sandbox/discord';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { eventually, type FlexcordSystem, startFlexcordSystem } from './support/e2e/flexcord-system';
import { conversationThroughEveryRole } from './support/e2e/metrics-conversation';
import { freePort } from './support/free-port';
import { sdkMetricsUrl, testEnv } from './support/global-fixtures';
import { uniqueTaskQueue } from './support/worker';
import type { selfTestWorkflow } from '../src/workflows/self-test';
import { metricValue, parsePrometheusText, sampleSum, type Sample } from './support/prometheus-text';

/*
 * Each process's Prometheus metrics, read the way Prometheus reads them. The hooks are exercised through the real
 * clients against the local Discord and Twilio fakes, and once end to end through every role.
 */

async function scrape(port: number): Promise<Sample[]> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  return parsePrometheusText(await res.text());
}

describe('metrics: route templates', () => {
  it('turns Discord paths into templates without ids or tokens', () => {
    assert.equal(discordRouteTemplate('/channels/1234567890123456789/messages'), '/channels/:id/messages');
    assert.equal(discordRouteTemplate('/users/@me/channels'), '/users/@me/channels');
    assert.equal(
      discordRouteTemplate(
        '/interactions/123456789012345678/aW50ZXJhY3Rpb246MTIz/callback?with_response=true',
      ),
      '/interactions/:id/:param/callback',
    );
    assert.equal(discordRouteTemplate('/channels/:id/messages'), '/channels/:id/messages');
  });

  it('turns Twilio URIs into product and path templates, unique names included', () => {
    assert.equal(
      twilioRouteTemplate(
        'https://conversations.twilio.com/v1/Conversations/CH0123456789abcdef0123456789abcdef/Messages?Order=desc',
      ),
      'conversations /v1/Conversations/:sid/Messages',
    );
    assert.equal(
      twilioRouteTemplate('https://conversations.twilio.com/v1/Conversations/support-123-456'),
      'conversations /v1/Conversations/:sid',
    );
    assert.equal(
      twilioRouteTemplate(
        'https://taskrouter.twilio.com/v1/Workspaces/WS1/Workflows/WW2/CumulativeStatistics',
      ),
      'taskrouter /v1/Workspaces/:sid/Workflows/:sid/CumulativeStatistics',
    );
  });
});

describe('metrics: Discord and Twilio calls', function () {
  this.timeout(30_000);

  it('counts Twilio calls by route and status, and 429s on their own', async () => {
    const twilio = await new FakeTwilio().start();
    try {
      const { metrics, twilioCalls } = createObservability();
      const client = createTwilioClient(
        { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.url },
        { observe: twilioCalls },
      );
      const created = await client.conversations.v1.conversations.create({ friendlyName: 'metrics' });
      twilio.fail({ match: { method: 'GET', path: /Conversations\/CH/ }, status: 429, code: 20429 });
      await assert.rejects(client.conversations.v1.conversations(created.sid).fetch(), { status: 429 });
      await client.conversations.v1.conversations(created.sid).fetch();
      await assert.rejects(client.conversations.v1.conversations('CH' + '0'.repeat(32)).fetch());

      const r = metrics.registry;
      const conv = 'conversations /v1/Conversations/:sid';
      assert.equal(
        await metricValue(r, 'flexcord_twilio_requests_total', {
          method: 'POST',
          route: 'conversations /v1/Conversations',
          status: '201',
        }),
        1,
      );
      assert.equal(await metricValue(r, 'flexcord_twilio_requests_total', { route: conv, status: '429' }), 1);
      assert.equal(await metricValue(r, 'flexcord_twilio_requests_total', { route: conv, status: '200' }), 1);
      assert.equal(await metricValue(r, 'flexcord_twilio_requests_total', { route: conv, status: '404' }), 1);
      assert.equal(await metricValue(r, 'flexcord_twilio_rate_limited_total', { route: conv }), 1);
      assert.equal(await metricValue(r, 'flexcord_twilio_rate_limited_total'), 1);
    } finally {
      await twilio.stop();
    }
  });

  it("counts Discord responses by route and status, Discord's 429s and requests an empty bucket held back", async () => {
    const discord = await new FakeDiscord().start();
    try {
      const { supportChannel } = discord.addGuild('Acme');
      const { metrics, observeDiscordRest } = createObservability();
      const rest = createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl });
      observeDiscordRest(rest);
      const messages = `/channels/${supportChannel.id}/messages`;

      discord.failNext('POST', /\/messages$/, {
        status: 429,
        code: 0,
        message: 'slow down',
        retryAfter: 0.01,
      });
      await assert.rejects(rest.post(messages as `/${string}`, { body: { content: 'one' } }));
      // The fake's bucket is Discord's: 5 messages per 5 s per channel. The sixth is held back by the client.
      for (let i = 0; i < 5; i += 1)
        await rest.post(messages as `/${string}`, { body: { content: `m${i}` } });
      await assert.rejects(rest.post(messages as `/${string}`, { body: { content: 'six' } }));

      const r = metrics.registry;
      const route = '/channels/:id/messages';
      assert.equal(
        await metricValue(r, 'flexcord_discord_requests_total', { method: 'POST', route, status: '200' }),
        5,
      );
      assert.equal(
        await metricValue(r, 'flexcord_discord_requests_total', { method: 'POST', route, status: '429' }),
        1,
      );
      assert.equal(await metricValue(r, 'flexcord_discord_rate_limited_total', { route, source: '429' }), 1);
      assert.equal(
        await metricValue(r, 'flexcord_discord_rate_limited_total', { route, source: 'bucket' }),
        1,
      );
    } finally {
      await discord.stop();
    }
  });
});

describe('metrics: the scrape endpoint', () => {
  it("serves flexcord's metrics and the Temporal SDK's on one port, and nothing else", async () => {
    const { metrics } = createObservability({ processMetrics: true });
    metrics.knowledgeBase.inc({ result: 'miss' });
    const server = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      registry: metrics.registry,
      sdkMetricsUrl: sdkMetricsUrl(),
    });
    try {
      const samples = await scrape(server.port);
      assert.equal(sampleSum(samples, 'flexcord_kb_searches_total', { result: 'miss' }), 1);
      assert.ok(
        samples.some((s) => s.name === 'process_cpu_user_seconds_total'),
        'process metrics',
      );
      // The test harness has run Temporal workers and clients through the Core runtime by now.
      assert.ok(
        samples.some((s) => s.name.startsWith('temporal_')),
        `Temporal SDK metrics: ${[...new Set(samples.map((s) => s.name))].join(', ')}`,
      );
      assert.equal((await fetch(`http://127.0.0.1:${server.port}/`)).status, 404);
    } finally {
      await server.close();
    }
  });
});

describe('metrics end to end: one support conversation through every role', function () {
  this.timeout(120_000);
  let discord: FakeDiscord;
  let system: FlexcordSystem | undefined;
  let observability: Observability;

  afterEach(async () => {
    await system?.stop();
    system = undefined;
    await discord.stop();
  });

  it('counts signals, webhooks, relays both ways, knowledge-base answers and misses, and conversations by phase', async () => {
    discord = await new FakeDiscord().start();
    const acme = discord.addGuild('Acme');
    const ana = discord.addUser('ana').id;
    discord.addMember(acme.guild.id, ana);
    observability = createObservability();
    system = await startFlexcordSystem(
      discord,
      { DISCORD_GUILD_ID: acme.guild.id, SUPPORT_AGENT_SLA_SECONDS: '3600' },
      observability,
    );
    const server = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      registry: observability.metrics.registry,
      sdkMetricsUrl: sdkMetricsUrl(),
    });
    try {
      await conversationThroughEveryRole(discord, system, acme.guild.id, ana);

      const samples = await eventually(async () => {
        const s = await scrape(server.port);
        assert.ok(
          sampleSum(s, 'flexcord_relays_total', { direction: 'user_to_agent', result: 'delivered' }) >= 1,
        );
        assert.equal(sampleSum(s, 'flexcord_conversations', { phase: 'with_agent' }), 1);
        return s;
      }, 40_000);

      assert.ok(
        sampleSum(samples, 'flexcord_signals_sent_total', { signal: 'userMessage', outcome: 'ok' }) >= 3,
      );
      assert.equal(
        sampleSum(samples, 'flexcord_signals_sent_total', { signal: 'requestHuman', outcome: 'ok' }),
        1,
      );
      assert.ok(
        sampleSum(samples, 'flexcord_webhooks_received_total', {
          kind: 'conversations',
          outcome: 'signalled',
        }) >= 2,
        'the participant and message webhooks signalled the workflow',
      );
      assert.ok(
        sampleSum(samples, 'flexcord_relays_total', { direction: 'agent_to_user', result: 'delivered' }) >= 1,
      );
      assert.equal(sampleSum(samples, 'flexcord_kb_searches_total', { result: 'answered' }), 1);
      assert.equal(sampleSum(samples, 'flexcord_kb_searches_total', { result: 'miss' }), 1);
      assert.ok(
        sampleSum(samples, 'flexcord_discord_requests_total', {
          method: 'POST',
          route: '/channels/:id/messages',
          status: '200',
        }) >= 4,
      );
      assert.ok(
        sampleSum(samples, 'flexcord_twilio_requests_total', {
          method: 'POST',
          route: 'conversations /v1/Conversations/:sid/Messages',
          status: '201',
        }) >= 1,
      );
      assert.equal(sampleSum(samples, 'flexcord_conversations', { phase: 'bot' }), 0);
      assert.ok(
        samples.some((s) => s.name.startsWith('temporal_')),
        'Temporal SDK metrics',
      );
    } finally {
      await server.close();
    }
  });
});

describe('metrics: flexcord start --role worker with METRICS_PORT', function () {
  this.timeout(120_000);

  it("serves the worker's metrics and the Temporal SDK's from its Core runtime", async () => {
    const root = path.resolve(__dirname, '..');
    const { client, address } = testEnv();
    const [metricsPort, taskQueue] = [await freePort(), uniqueTaskQueue('metrics-worker')];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-metrics-'));
    const worker = spawn(
      process.execPath,
      [path.join(root, 'bin', 'flexcord.js'), 'start', '--role', 'worker'],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LOG_FORMAT: 'json',
          TEMPORAL_ADDRESS: address,
          TEMPORAL_TASK_QUEUE: taskQueue,
          FLEXCORD_DATA_DIR: dataDir,
          KB_DIR: path.join(root, 'knowledge-base'),
          METRICS_PORT: String(metricsPort),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    try {
      let output = '';
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (/metrics at http/.test(output)) resolve();
        };
        worker.stdout!.on('data', onData);
        worker.stderr!.on('data', onData);
        void exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
      await client.workflow.execute<typeof selfTestWorkflow>('selfTestWorkflow', {
        taskQueue,
        workflowId: `metrics-worker-${Date.now()}`,
      });
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      assert.match(text, /^# HELP flexcord_relays_total /m);
      assert.match(text, /^# HELP flexcord_conversations /m);
      const samples = parsePrometheusText(text);
      assert.ok(
        samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds'),
        'process metrics',
      );
      assert.ok(
        samples.some((s) => s.name.startsWith('temporal_') && s.labels.task_queue === taskQueue),
        "the SDK reports on this worker's task queue",
      );
    } finally {
      worker.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
