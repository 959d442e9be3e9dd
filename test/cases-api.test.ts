import assert from 'node:assert/strict';
import pino from 'pino';
import { ALL_GUILDS } from '../src/cases/guild-scope';
import { createCaseOperations, fileReport } from '../src/cases/report-client';
import { caseApiRouter } from '../src/webhooks/api/case-api-router';
import { tokensMatch } from '../src/webhooks/api/bearer-auth';
import { createWebhookApp } from '../src/webhooks/app';
import { listen, type RunningHttpServer } from '../src/webhooks/http-server';
import { waitFor } from '../src/sandbox/discord';
import { reportActivities, reportInput, tempCaseStore } from './support/case-fixtures';
import { testEnv } from './support/global-fixtures';
import { withWorker } from './support/worker';

const TOKEN = 'test-token-0123456789';

describe('case REST API', function () {
  this.timeout(60_000);
  let opened: Awaited<ReturnType<typeof tempCaseStore>>;
  let server: RunningHttpServer;
  let base: string;

  /** The API with one token for every server (tests of server scopes are in guild-boundaries.test.ts). */
  async function start(apiToken: string | undefined): Promise<void> {
    const operations = createCaseOperations({ client: testEnv().client, store: opened.store });
    const tokens = apiToken ? [{ token: apiToken, scope: ALL_GUILDS }] : [];
    const app = createWebhookApp({
      logger: pino({ level: 'silent' }),
      readiness: async () => undefined,
      routers: [{ path: '/api', router: caseApiRouter({ tokens, operations }) }],
    });
    server = await listen(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}/api`;
  }

  const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token !== null) headers.set('authorization', `Bearer ${init.token ?? TOKEN}`);
    if (init.body) headers.set('content-type', 'application/json');
    return fetch(`${base}${path}`, { ...init, headers });
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(path, { method: 'POST', body: JSON.stringify(body), headers });

  beforeEach(async () => {
    opened = await tempCaseStore();
  });
  afterEach(async () => {
    await server?.close();
    await opened.close();
  });

  it('is off (503) when no API token is configured', async () => {
    await start(undefined);
    const res = await call('/cases');
    assert.equal(res.status, 503);
    assert.match(((await res.json()) as { message: string }).message, /set API_TOKENS/);
  });

  it('answers 401 without a token, with a wrong token or a wrong scheme', async () => {
    await start(TOKEN);
    assert.equal((await call('/cases', { token: null })).status, 401);
    assert.equal((await call('/cases', { token: 'nope' })).status, 401);
    assert.equal((await call('/cases', { token: `${TOKEN}x` })).status, 401);
    const basic = await call('/cases', { token: null, headers: { authorization: `Basic ${TOKEN}` } });
    assert.equal(basic.status, 401);
    assert.equal(basic.headers.get('www-authenticate'), 'Bearer realm="flexcord"');
    assert.equal((await call('/cases/1001', { token: null })).status, 401);
    assert.equal(
      (await call('/cases/1001/close', { method: 'POST', body: '{"reason":"x"}', token: 'bad' })).status,
      401,
    );
    assert.equal((await call('/cases')).status, 200);
    assert.ok(tokensMatch('abc', 'abc') && !tokensMatch('abc', 'abd') && !tokensMatch('abc', 'abcd'));
  });

  it('lists cases with filters and shows one with its transcript', async () => {
    await start(TOKEN);
    const { store } = opened;
    await store.openCase({
      idempotencyKey: 's1',
      type: 'support',
      guildId: 'g1',
      reporter: { discordId: 'u1', name: 'Ada' },
      title: 'Help',
      description: 'Need help',
      transcript: [
        {
          entryId: 'm1',
          direction: 'inbound',
          authorKind: 'user',
          author: 'Ada',
          text: 'hello',
          attachments: [],
          at: '2026-01-01T00:00:00.000Z',
        },
      ],
    });
    await store.openCase({
      ...reportInput({ guildId: '100000000000000002' }),
      type: 'bug',
      reporter: { discordId: 'u2', name: 'B' },
    });
    const all = (await (await call('/cases')).json()) as { cases: { number: number }[] };
    assert.deepEqual(
      all.cases.map((c) => c.number),
      [1002, 1001],
    );
    const filtered = (await (await call('/cases?type=support&guild=g1&status=open')).json()) as {
      cases: { number: number }[];
    };
    assert.deepEqual(
      filtered.cases.map((c) => c.number),
      [1001],
    );
    const bad = await call('/cases?status=sleeping');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'invalid_request');

    const shown = (await (await call('/cases/1001')).json()) as {
      case: { transcript: { text: string }[]; reporter: { name: string } };
    };
    assert.deepEqual(
      shown.case.transcript.map((t) => t.text),
      ['hello'],
    );
    assert.equal(shown.case.reporter.name, 'Ada');
    assert.equal((await call('/cases/4242')).status, 404);
    assert.equal((await call('/cases/abc')).status, 400);
  });

  it('notes and assigns support cases idempotently, and refuses to close a live conversation', async () => {
    await start(TOKEN);
    const { caseNumber } = await opened.store.openCase({
      idempotencyKey: 's1',
      type: 'support',
      guildId: 'g1',
      reporter: { discordId: 'u1', name: 'Ada' },
      title: 'Help',
      description: 'Need help',
    });
    for (let i = 0; i < 2; i++) {
      const res = await post(
        `/cases/${caseNumber}/note`,
        { note: 'called back', actor: 'alice' },
        { 'idempotency-key': 'k1' },
      );
      assert.equal(res.status, 200);
    }
    assert.equal((await post(`/cases/${caseNumber}/assign`, { agent: 'grace' })).status, 200);
    assert.equal((await post(`/cases/${caseNumber}/note`, { note: '' })).status, 400);
    const close = await post(`/cases/${caseNumber}/close`, { reason: 'done' });
    assert.equal(close.status, 409);
    assert.match(((await close.json()) as { message: string }).message, /support conversation/);
    const stored = (await opened.store.getCase(caseNumber))!;
    assert.deepEqual(
      stored.events.map((e) => [e.action, e.actor, e.detail]),
      [
        ['opened', 'discord:u1', 'support: Help'],
        ['note', 'api:alice', 'called back'],
        ['assigned', 'api:token', 'grace'],
      ],
    );
    assert.equal(stored.assignedAgent, 'grace');
  });

  it('closes and links reports through their workflows, which DM the reporters', async () => {
    await start(TOKEN);
    const { client } = testEnv();
    const { activities, sent } = reportActivities(opened.store);
    await withWorker(activities, async (taskQueue) => {
      const a = await fileReport(client, { taskQueue, input: reportInput() });
      const b = await fileReport(client, {
        taskQueue,
        input: reportInput({ reporter: { discordId: '200000000000000003', name: 'B' } }),
      });
      const link = await post(`/cases/${b.caseNumber}/link`, { duplicateOf: a.caseNumber });
      assert.equal(link.status, 200);
      // Answered once stored; the reporter's DM follows, before the duplicate's workflow ends.
      assert.deepEqual(await link.json(), { caseNumber: b.caseNumber, phase: 'declined' });
      await client.workflow.getHandle(b.workflowId).result();
      assert.equal((await post(`/cases/${a.caseNumber}/link`, { duplicateOf: a.caseNumber })).status, 400);
      assert.equal((await post(`/cases/${a.caseNumber}/link`, { duplicateOf: 9999 })).status, 404);
      const closed = await post(`/cases/${a.caseNumber}/close`, {
        reason: 'Shipped a fix',
        resolution: 'resolved',
      });
      assert.equal(closed.status, 200);
      assert.equal(((await closed.json()) as { phase: string }).phase, 'resolved');
      await client.workflow.getHandle(a.workflowId).result();
      assert.equal((await post(`/cases/${a.caseNumber}/close`, { reason: 'again' })).status, 409);
    });
    // The duplicate's reporter hears about the link, then both reporters about the fix.
    assert.deepEqual(
      sent.map((s) => s.userId),
      ['200000000000000003', '200000000000000001', '200000000000000003'],
    );
    assert.match(sent[1]!.text, /Shipped a fix/);
    assert.match(sent[2]!.text, /Shipped a fix/);
  });

  it('triages a report through its workflow: bearer auth, validated body, DM to the reporter, 409 when repeated', async () => {
    await start(TOKEN);
    const { client } = testEnv();
    const { activities, sent } = reportActivities(opened.store);
    const support = await opened.store.openCase({
      idempotencyKey: 's-triage',
      type: 'support',
      guildId: 'g1',
      reporter: { discordId: 'u1', name: 'Ada' },
      title: 'Help',
      description: 'Need help',
    });
    const reportNumber = await withWorker(activities, async (taskQueue) => {
      const filed = await fileReport(client, { taskQueue, input: reportInput() });
      const path = `/cases/${filed.caseNumber}/triage`;
      const noToken = await call(path, { method: 'POST', body: '{}', token: null });
      assert.equal(noToken.status, 401);
      assert.equal((await call(path, { method: 'POST', body: '{}', token: 'wrong-token' })).status, 401);
      for (const bad of [{ priority: 'asap' }, { note: '' }, { note: 'x'.repeat(2001) }]) {
        const res = await post(path, bad);
        assert.equal(res.status, 400, JSON.stringify(bad));
        assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
      }
      assert.equal((await post('/cases/0/triage', {})).status, 400);
      assert.equal((await post('/cases/9999/triage', {})).status, 404);
      assert.equal((await post(`/cases/${support.caseNumber}/triage`, {})).status, 409);
      assert.equal(sent.length, 0, 'nothing was triaged by a refused request');

      for (let i = 0; i < 2; i++) {
        const res = await post(
          path,
          { note: 'Reproduced on 2.3', priority: 'urgent', actor: 'alice' },
          { 'idempotency-key': 'triage-1' },
        );
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { caseNumber: filed.caseNumber, phase: 'triaged' });
      }
      const again = await post(path, {});
      assert.equal(again.status, 409);
      assert.match(((await again.json()) as { message: string }).message, /already triaged/);
      // The reporter's DM follows the answer on its own.
      await waitFor(() => sent.length > 0, 15_000, 'the triage DM');
      return filed.caseNumber;
    });
    assert.equal(sent.length, 1, 'the retried request triaged once');
    assert.match(
      sent[0]!.text,
      /has been triaged: the team is looking into it\.[\s\S]*\n\nReproduced on 2\.3$/,
    );
    const stored = (await opened.store.getCase(reportNumber))!;
    assert.equal(stored.priority, 'urgent');
    assert.equal(stored.status, 'in_progress');
    assert.deepEqual(
      stored.events.filter((e) => e.action === 'triaged').map((e) => [e.actor, e.detail]),
      [['api:alice', 'Reproduced on 2.3']],
    );
  });
});
