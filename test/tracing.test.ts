import assert from 'node:assert/strict';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../src/config';
import { createObservability } from '../src/observability';
import { inSpan } from '../src/observability/spans';
import { startTracing, type Tracing } from '../src/observability/tracing';
import { FakeDiscord, type FakeMessage } from '../src/sandbox/discord';
import { eventually, type FlexcordSystem, startFlexcordSystem } from './support/e2e/flexcord-system';
import { visible } from './support/e2e/metrics-conversation';

/*
 * One message's way through flexcord as one trace, recorded by an in-memory exporter: every role started by its
 * production starter with tracing on, the real Temporal dev server, the Discord and Twilio fakes.
 */

/** The names of `span`'s ancestors within the recorded spans, nearest first. */
function ancestry(span: ReadableSpan, all: ReadableSpan[]): string[] {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  const names: string[] = [];
  for (let parent = byId.get(span.parentSpanId ?? ''); parent; parent = byId.get(parent.parentSpanId ?? ''))
    names.push(parent.name);
  return names;
}

describe('traces: configured by the standard OTEL_* variables', () => {
  const tracingOf = (env: Record<string, string>) => loadConfig(env, { dotenvPath: false }).tracing;

  it('is off by default, and on with OTEL_TRACES_EXPORTER or an OTLP endpoint; OTEL_SDK_DISABLED wins', () => {
    assert.equal(tracingOf({}).exporter, 'none');
    assert.equal(startTracing(tracingOf({})), undefined);
    assert.equal(tracingOf({ OTEL_TRACES_EXPORTER: 'console' }).exporter, 'console');
    assert.deepEqual(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }), {
      exporter: 'otlp',
      url: 'http://collector:4318/v1/traces',
      headers: undefined,
      serviceName: 'flexcord',
    });
    assert.equal(
      tracingOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/v1/traces',
      }).url,
      'http://tempo:4318/v1/traces',
    );
    assert.equal(
      tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }).exporter,
      'none',
    );
    assert.equal(tracingOf({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }).exporter, 'none');
    assert.equal(tracingOf({ OTEL_SERVICE_NAME: 'flexcord-eu' }).serviceName, 'flexcord-eu');
  });

  it('exports spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT with OTEL_EXPORTER_OTLP_HEADERS', async () => {
    const received: { path?: string; type?: string; auth?: string; bytes: number }[] = [];
    const collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          path: req.url,
          type: req.headers['content-type'],
          auth: req.headers.authorization,
          bytes: Buffer.concat(chunks).length,
        });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      const tracing = startTracing(
        tracingOf({
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
          OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20collector-token',
        }),
      );
      assert.ok(tracing, 'an OTLP endpoint turns tracing on');
      await inSpan('exported span', {}, async () => undefined);
      await tracing.shutdown();
      assert.equal(received.length, 1);
      assert.equal(received[0]!.path, '/v1/traces');
      assert.equal(received[0]!.type, 'application/x-protobuf');
      assert.equal(received[0]!.auth, 'Bearer collector-token');
      assert.ok(received[0]!.bytes > 0);
    } finally {
      collector.close();
    }
  });
});

describe('traces: one message, one trace', function () {
  this.timeout(120_000);
  let discord: FakeDiscord;
  let system: FlexcordSystem | undefined;
  let tracing: Tracing;
  let exporter: InMemorySpanExporter;

  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing(
      { exporter: 'none', serviceName: 'flexcord-test' },
      { spanProcessor: new SimpleSpanProcessor(exporter) },
    )!;
  });

  afterEach(async () => {
    await system?.stop();
    system = undefined;
    await discord.stop();
    await tracing.shutdown();
  });

  it('joins a user message, its signal, the workflow, the activities and the Discord and Twilio calls in one trace', async () => {
    discord = await new FakeDiscord().start();
    const acme = discord.addGuild('Acme');
    const ana = discord.addUser('ana').id;
    discord.addMember(acme.guild.id, ana);
    system = await startFlexcordSystem(
      discord,
      { DISCORD_GUILD_ID: acme.guild.id, SUPPORT_AGENT_SLA_SECONDS: '3600' },
      createObservability({ tracing }),
    );
    const dm = discord.dmChannelFor(ana);
    const fromBot = (after: FakeMessage) => (m: FakeMessage) =>
      m.author.id === discord.botUser.id && BigInt(m.id) > BigInt(after.id);

    // The first message starts the conversation; the second reaches it running, through the workflow's inbox.
    const hello = discord.userSendsDm(ana, 'hello');
    await discord.waitForMessage(dm.id, fromBot(hello));
    const question = discord.userSendsDm(ana, 'The game crashes on startup, what can I do?');
    const answer = await discord.waitForMessage(
      dm.id,
      (m) => fromBot(question)(m) && (m.embeds?.length ?? 0) > 0,
    );

    const trace = await eventually(() => {
      const spans = exporter.getFinishedSpans();
      const root = spans.find(
        (s) => s.name === 'discord message' && s.attributes['discord.message_id'] === question.id,
      );
      assert.ok(root, 'the bot span for the question');
      const inTrace = spans.filter((s) => s.spanContext().traceId === root.spanContext().traceId);
      const names = inTrace.map((s) => s.name);
      for (const expected of [
        'SignalWithStartWorkflow:supportConversationWorkflow',
        'HandleSignal:userMessage',
        'StartActivity:searchKnowledgeBase',
        'RunActivity:searchKnowledgeBase',
        'StartActivity:sendToDiscord',
        'RunActivity:sendToDiscord',
        'discord POST /channels/:id/messages',
      ])
        assert.ok(names.includes(expected), `${expected} in the question's trace: ${names.join(', ')}`);
      return inTrace;
    });
    // The Discord call that posted the answer descends, step by step, from the user's message.
    const post = trace.find((s) => s.name === 'discord POST /channels/:id/messages')!;
    assert.deepEqual(
      ancestry(post, trace).filter((n) => !n.startsWith('discord POST')),
      [
        'RunActivity:sendToDiscord',
        'StartActivity:sendToDiscord',
        'HandleSignal:userMessage',
        'SignalWithStartWorkflow:supportConversationWorkflow',
        'discord message',
      ],
    );
    assert.equal(post.resource.attributes['service.name'], 'flexcord-test');
    assert.equal(
      trace.find((s) => s.name === 'SignalWithStartWorkflow:supportConversationWorkflow')!.attributes
        .temporalWorkflowId,
      `support-${acme.guild.id}-${ana}`,
    );
    // The other message's spans are in their own trace.
    const helloRoot = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'discord message' && s.attributes['discord.message_id'] === hello.id)!;
    assert.notEqual(helloRoot.spanContext().traceId, post.spanContext().traceId);

    // Handed to an agent: the agent's reply arrives by webhook, and its trace ends at the Discord post.
    await discord.waitForReply(discord.pressButton(ana, answer, 'fc:request_human'));
    const task = await eventually(() => {
      const t = [...system!.twilio.tasks.values()].find(
        (x) => x.attributes.flexcordWorkflowId === `support-${acme.guild.id}-${ana}`,
      );
      assert.ok(t, 'a Flex task for the conversation');
      return t;
    });
    const conversationSid = task.attributes.conversationSid as string;
    await system.twilio.agentAccepts(conversationSid, { identity: 'alice', name: 'Alice' });
    await system.twilio.agentReplies(conversationSid, 'Please update your graphics driver.');
    await discord.waitForMessage(dm.id, (m) => /update your graphics driver/.test(visible(m)));
    await eventually(() => {
      const spans = exporter.getFinishedSpans();
      const relayed = spans.filter(
        (s) =>
          s.name === 'discord POST /channels/:id/messages' &&
          ancestry(s, spans).includes('HandleSignal:agentMessage'),
      );
      assert.equal(relayed.length, 1, 'the agent message relayed to Discord');
      assert.deepEqual(
        ancestry(relayed[0]!, spans).filter((n) => /webhook|Signal|Activity/.test(n)),
        [
          'RunActivity:sendToDiscord',
          'StartActivity:sendToDiscord',
          'HandleSignal:agentMessage',
          'SignalWorkflow:agentMessage',
          'webhook POST /twilio/conversations',
        ],
      );
    });

    // And the user's reply ends at the Twilio call that posts it into the Flex conversation.
    const reply = discord.userSendsDm(ana, 'Thanks, that worked');
    await eventually(() => {
      const spans = exporter.getFinishedSpans();
      const root = spans.find(
        (s) => s.name === 'discord message' && s.attributes['discord.message_id'] === reply.id,
      );
      assert.ok(root, 'the bot span for the reply');
      const twilioPost = spans.find(
        (s) =>
          s.spanContext().traceId === root.spanContext().traceId &&
          s.name === 'twilio POST conversations /v1/Conversations/:sid/Messages',
      );
      assert.ok(twilioPost, 'the Twilio call in the reply trace');
      assert.deepEqual(ancestry(twilioPost, spans).slice(0, 2), [
        'RunActivity:postCustomerMessage',
        'StartActivity:postCustomerMessage',
      ]);
      assert.equal(twilioPost.attributes['http.response.status_code'], 201);
    });
  });
});
