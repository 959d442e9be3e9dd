import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { supportWorkflowId } from '../src/shared/support-types';
import { FakeDiscord } from '../src/sandbox/discord';
import { type FlexcordSystem, startFlexcordSystem } from './support/e2e/flexcord-system';

/*
 * Workflow histories hold what users and agents wrote. With PAYLOAD_ENCRYPTION_KEYS every client and worker of
 * flexcord encrypts payloads before they reach Temporal, and the webhooks role's codec endpoint lets the Temporal
 * Web UI show them decrypted to operators.
 */
const KEY_ID = 'k2026';
const KEY = randomBytes(32).toString('base64');
const CODEC_TOKEN = 'codec-token-for-tests-0123456789';
const UI_ORIGIN = 'http://localhost:8233';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/**
 * Payloads Temporal itself must read or the SDK writes stay plain by design: search attributes (the server indexes
 * them: ids, phase, case number, never message text), patch markers, and propagated headers (trace context).
 */
const PLAIN_BY_DESIGN = new Set(['searchAttributes', 'markerRecordedEventAttributes', 'header']);

/** A history's payloads (but those plain by design) in the codec protocol's proto JSON: bytes as base64. */
function jsonPayloads(history: temporal.api.history.v1.IHistory): JsonPayload[] {
  const found: JsonPayload[] = [];
  const visit = (value: unknown, key?: string): void => {
    if (key && PLAIN_BY_DESIGN.has(key)) return;
    if (!value || typeof value !== 'object') return;
    const v = value as { metadata?: Record<string, Uint8Array>; data?: Uint8Array };
    if (v.metadata && typeof v.metadata === 'object' && 'encoding' in v.metadata) {
      found.push({
        metadata: Object.fromEntries(
          Object.entries(v.metadata).map(([k, b]) => [k, Buffer.from(b).toString('base64')]),
        ),
        ...(v.data ? { data: Buffer.from(v.data).toString('base64') } : {}),
      });
      return;
    }
    for (const [k, child] of Object.entries(value as object))
      visit(child, Array.isArray(value) ? undefined : k);
  };
  visit(history.events);
  return found;
}

describe('encrypted payloads, readable by operators', function () {
  this.timeout(120_000);
  let discord: FakeDiscord;
  let system: FlexcordSystem | undefined;

  afterEach(async () => {
    await system?.stop();
    system = undefined;
    await discord.stop();
  });

  it('keeps every word of a conversation out of its history, and the UI codec endpoint decodes it', async () => {
    discord = await new FakeDiscord().start();
    const acme = discord.addGuild('Acme');
    const ana = discord.addUser('ana').id;
    discord.addMember(acme.guild.id, ana);
    system = await startFlexcordSystem(discord, {
      DISCORD_GUILD_ID: acme.guild.id,
      PAYLOAD_ENCRYPTION_KEYS: `${KEY_ID}=${KEY}`,
      CODEC_ENDPOINT_TOKEN: CODEC_TOKEN,
      CODEC_CORS_ORIGINS: UI_ORIGIN,
    });
    const { client } = system.ctx;
    const workflowId = supportWorkflowId(acme.guild.id, ana);
    const phrase = `zebra-${randomUUID().slice(0, 8)} my game crashes when I open the shop`;
    const dm = discord.dmChannelFor(ana);
    const asked = discord.userSendsDm(ana, phrase);
    await discord.waitForMessage(
      dm.id,
      (m) => m.author.id === discord.botUser.id && BigInt(m.id) > BigInt(asked.id),
    );
    discord.userSendsDm(ana, 'I want to talk to a human');
    await discord.waitForMessage(dm.id, (m) => /Case #\d+ opened/.test(m.content ?? ''), 20_000);

    // The client still reads the conversation (it decodes), but Temporal holds only ciphertext.
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    const secret = phrase.split(' ')[0]!;
    for (const form of [secret, Buffer.from(secret).toString('base64'), 'crashes when I open the shop']) {
      assert.ok(!bytes.includes(form), `the history holds "${form}"`);
    }
    const payloads = jsonPayloads(history);
    assert.ok(payloads.length > 5);
    const encoding = (p: JsonPayload) => Buffer.from(p.metadata!.encoding!, 'base64').toString();
    assert.deepEqual([...new Set(payloads.map(encoding))], ['binary/encrypted']);

    // The Web UI's codec endpoint: CORS for the UI's origin, the token required, the protocol's JSON both ways.
    const codec = `http://127.0.0.1:${system.config.http.port}/codec`;
    const preflight = await fetch(`${codec}/t/${CODEC_TOKEN}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    assert.ok(preflight.status === 204 || preflight.status === 200, String(preflight.status));
    assert.equal(preflight.headers.get('access-control-allow-origin'), UI_ORIGIN);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-namespace/i);
    const foreign = await fetch(`${codec}/t/${CODEC_TOKEN}/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);

    const decode = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${codec}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-namespace': 'default',
          origin: UI_ORIGIN,
          ...headers,
        },
        body: JSON.stringify({ payloads }),
      });
    assert.equal((await decode('/decode')).status, 401, 'no token');
    assert.equal((await decode('/t/wrong-token-0123456789/decode')).status, 401, 'wrong token');
    const viaHeader = await decode('/decode', { authorization: `Bearer ${CODEC_TOKEN}` });
    assert.equal(viaHeader.status, 200);
    const res = await decode(`/t/${CODEC_TOKEN}/decode`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), UI_ORIGIN);
    const decoded = ((await res.json()) as { payloads: JsonPayload[] }).payloads;
    assert.equal(decoded.length, payloads.length);
    const texts = decoded.map((p) => Buffer.from(p.data ?? '', 'base64').toString());
    assert.ok(
      texts.some((t) => t.includes(phrase)),
      'the user’s words are back',
    );
    assert.ok(
      decoded.every((p) => Buffer.from(p.metadata!.encoding!, 'base64').toString() !== 'binary/encrypted'),
    );

    // And /encode gives the UI what it needs to send an encrypted signal.
    const encoded = await fetch(`${codec}/t/${CODEC_TOKEN}/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payloads: decoded.slice(0, 1) }),
    });
    assert.equal(encoded.status, 200);
    const [again] = ((await encoded.json()) as { payloads: JsonPayload[] }).payloads;
    assert.equal(Buffer.from(again!.metadata!.encoding!, 'base64').toString(), 'binary/encrypted');
  });
});
