import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../src/config';
import { workflowTracingSinks } from '../src/observability/workflow-tracing';
import { supportWorkflowId } from '../src/shared/support-types';
import { provisionTemporalCli } from '../src/temporal/cli-provision';
import { payloadDataConverter } from '../src/temporal/data-converter';
import { startDevServer } from '../src/temporal/dev-server';
import { AesGcmPayloadCodec } from '../src/temporal/payload-codec';
import {
  getConversationState,
  openSupportConversation,
  sendUserMessage,
} from '../src/temporal/support-client';
import { FakeSupportWorld } from './fakes/support-activities';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { freePort } from './support/free-port';
import { testEnv, workflowBundle } from './support/global-fixtures';
import { loadSavedHistories } from './support/histories';
import { uniqueTaskQueue, withWorker } from './support/worker';

const noDotenv = { dotenvPath: false } as const;
const key = () => ({ id: `k-${randomBytes(3).toString('hex')}`, key: randomBytes(32) });
const json = (value: unknown) => defaultPayloadConverter.toPayload(value);
const encodingOf = (p: Payload) => Buffer.from(p.metadata!.encoding!).toString();

describe('payload encryption codec', function () {
  this.timeout(120_000);

  it('encrypts every payload whole under the current key, and decrypts it again', async () => {
    const codec = new AesGcmPayloadCodec([key()]);
    const plain = json({ text: 'my password is hunter2' });
    const [sealed] = await codec.encode([plain]);
    assert.equal(encodingOf(sealed!), 'binary/encrypted');
    assert.ok(!Buffer.from(sealed!.data!).includes('hunter2'));
    assert.ok(!Buffer.from(sealed!.data!).includes('json/plain'), 'the inner metadata is encrypted too');
    const [again] = await codec.encode([plain]);
    assert.notDeepEqual(again!.data, sealed!.data, 'a fresh IV each time');
    const [opened] = await codec.decode([sealed!]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(opened!), { text: 'my password is hunter2' });
  });

  it('rotates: the first key encrypts, older listed keys still decrypt, an unlisted key is named', async () => {
    const old = key();
    const current = key();
    const [byOld] = await new AesGcmPayloadCodec([old]).encode([json('before rotation')]);
    const rotated = new AesGcmPayloadCodec([current, old]);
    const [byNew] = await rotated.encode([json('after rotation')]);
    assert.equal(Buffer.from(byNew!.metadata!['encryption-key-id']!).toString(), current.id);
    const decoded = await rotated.decode([byOld!, byNew!]);
    assert.deepEqual(
      decoded.map((p) => defaultPayloadConverter.fromPayload(p)),
      ['before rotation', 'after rotation'],
    );
    await assert.rejects(new AesGcmPayloadCodec([current]).decode([byOld!]), new RegExp(old.id));
  });

  it('refuses a payload altered in any byte, or passed off as another key’s', async () => {
    const a = key();
    const codec = new AesGcmPayloadCodec([a]);
    const [sealed] = await codec.encode([json('intact')]);
    for (let i = 0; i < sealed!.data!.length; i += 7) {
      const data = Buffer.from(sealed!.data!);
      data[i]! ^= 1;
      await assert.rejects(codec.decode([{ ...sealed!, data }]), /does not decrypt/);
    }
    const b = { id: 'other', key: a.key };
    const relabelled = {
      ...sealed!,
      metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('other') },
    };
    await assert.rejects(new AesGcmPayloadCodec([a, b]).decode([relabelled]), /does not decrypt/);
  });

  it('passes payloads written before encryption through unchanged', async () => {
    const codec = new AesGcmPayloadCodec([key()]);
    const plain = [json({ a: 1 }), json(null), { metadata: { encoding: Buffer.from('binary/null') } }];
    assert.deepEqual(await codec.decode(plain), plain);
  });

  describe('configuration', () => {
    const keyText = randomBytes(32).toString('base64');

    it('reads keys with ids, first one current, and never echoes a key in an error', () => {
      const older = randomBytes(32).toString('base64');
      const config = loadConfig({ PAYLOAD_ENCRYPTION_KEYS: `new=${keyText}, old=${older}` }, noDotenv);
      assert.deepEqual(
        config.payloads.keys.map((k) => [k.id, k.key.toString('base64')]),
        [
          ['new', keyText],
          ['old', older],
        ],
      );
      const short = randomBytes(16).toString('base64');
      for (const bad of [
        `k=${short}`,
        `=${keyText}`,
        `k=${keyText},k=${keyText}`,
        `bad id=${keyText}`,
        'k',
      ]) {
        assert.throws(
          () => loadConfig({ PAYLOAD_ENCRYPTION_KEYS: bad }, noDotenv),
          (err: unknown) =>
            err instanceof ConfigError &&
            /PAYLOAD_ENCRYPTION_KEYS: entry \d/.test(err.message) &&
            !err.message.includes(short) &&
            !err.message.includes(keyText),
          bad,
        );
      }
    });

    it('is off without keys in development; production refuses to start without keys unless opted out', () => {
      assert.equal(payloadDataConverter(loadConfig({}, noDotenv)), undefined);
      assert.throws(
        () => payloadDataConverter(loadConfig({ NODE_ENV: 'production' }, noDotenv)),
        (err: unknown) =>
          err instanceof ConfigError &&
          /PAYLOAD_ENCRYPTION_KEYS.*ALLOW_UNENCRYPTED_PAYLOADS/s.test(err.message),
      );
      const optedOut = loadConfig({ NODE_ENV: 'production', ALLOW_UNENCRYPTED_PAYLOADS: 'true' }, noDotenv);
      assert.equal(payloadDataConverter(optedOut), undefined);
      const encrypted = loadConfig(
        { NODE_ENV: 'production', PAYLOAD_ENCRYPTION_KEYS: `k=${keyText}` },
        noDotenv,
      );
      assert.ok(payloadDataConverter(encrypted)?.payloadCodecs?.[0] instanceof AesGcmPayloadCodec);
    });
  });

  it('replays every saved history (recorded before encryption) with the codec on', async () => {
    const failures: string[] = [];
    const dataConverter = { payloadCodecs: [new AesGcmPayloadCodec([key()])] };
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: await workflowBundle(), dataConverter, sinks: workflowTracingSinks() },
      loadSavedHistories(),
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    assert.deepEqual(failures, []);
  });

  it('carries on a conversation that began before encryption was turned on', async () => {
    const env = testEnv();
    const world = new FakeSupportWorld();
    const input = newSupportInput();
    const workflowId = supportWorkflowId(input.user.guildId, input.user.userId);
    const taskQueue = uniqueTaskQueue('codec-upgrade');
    const run = (
      dataConverter: { payloadCodecs: AesGcmPayloadCodec[] } | undefined,
      fn: () => Promise<void>,
    ) => withWorker(world.activities(), fn, { taskQueue, ...(dataConverter ? { dataConverter } : {}) });
    // Before: plain payloads.
    await run(undefined, async () => {
      await openSupportConversation(env.client, { taskQueue, input });
      await sendUserMessage(env.client, { taskQueue, input, event: userMessage('before the upgrade') });
      await eventually(() => assert.ok(world.sent.length >= 1));
    });
    // After: the same workflow, now with an encrypting worker and client.
    const dataConverter = { payloadCodecs: [new AesGcmPayloadCodec([key()])] };
    const client = new Client({ connection: env.connection, dataConverter });
    const sentBefore = world.sent.length;
    await run(dataConverter, async () => {
      await sendUserMessage(client, { taskQueue, input, event: userMessage('after the upgrade') });
      await eventually(() => assert.ok(world.sent.length > sentBefore));
      assert.equal((await getConversationState(client, workflowId)).phase, 'bot');
    });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    assert.ok(bytes.includes('before the upgrade'), 'the old payloads stay as they were');
    assert.ok(!bytes.includes('after the upgrade'), 'new payloads are encrypted');
    await client.workflow.getHandle(workflowId).terminate('test over');
  });

  it('tells the embedded Web UI where the codec endpoint is (temporal server start-dev --ui-codec-endpoint)', async () => {
    const cli = await provisionTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, install: false });
    if (cli.kind !== 'binary') assert.fail('the Temporal CLI is needed (npm run temporal:ensure)');
    const uiPort = await freePort();
    const endpoint = 'http://localhost:3999/codec/t/ui-token-0123456789';
    const server = await startDevServer({
      cli,
      namespace: 'default',
      port: await freePort(),
      uiPort,
      uiCodecEndpoint: endpoint,
    });
    try {
      const settings = await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${uiPort}/api/v1/settings`);
        assert.equal(res.status, 200);
        return (await res.json()) as { Codec?: { Endpoint?: string } };
      });
      assert.equal(settings.Codec?.Endpoint, endpoint);
    } finally {
      await server.stop();
    }
  });
});
