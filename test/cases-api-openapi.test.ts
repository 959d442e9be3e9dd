import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type Router } from 'express';
import fc from 'fast-check';
import pino from 'pino';
import { ALL_GUILDS, onlyGuilds } from '../src/cases/guild-scope';
import { createCaseOperations, fileReport } from '../src/cases/report-client';
import { forgetUser } from '../src/privacy/forget-user';
import { exportUser } from '../src/privacy/user-data';
import { loadConfig } from '../src/config';
import { openModeration } from '../src/moderation';
import { apiRouter } from '../src/webhooks/api/api-router';
import { createWebhookApp } from '../src/webhooks/app';
import { listen, type RunningHttpServer } from '../src/webhooks/http-server';
import { reportActivities, reportInput, tempCaseStore } from './support/case-fixtures';
import { testEnv } from './support/global-fixtures';
import { arbitraryFor } from './support/json-schema-arbitrary';
import { withWorker } from './support/worker';

/*
 * GET /api/openapi.json describes the case API: every route the router serves is in the document and nothing
 * else, every answer matches what the document says for its status, and generated requests (valid by the
 * document, and arbitrary junk) never produce a server error.
 */

type Json = Record<string, unknown>;
interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema: Json }[];
  requestBody?: { content: { 'application/json': { schema: Json } } };
  responses: Record<string, { content?: { 'application/json'?: { schema?: Json } } }>;
}

const TOKEN = 'openapi-test-token-0123456789';

/** Where a response's schema sits in the document, as a JSON pointer Ajv resolves. */
const responsePointer = (route: string, method: string, status: string) =>
  `doc#/paths/${route.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${status}/content/application~1json/schema`;
const GUILD = '100000000000000001';

describe('staff API: the OpenAPI document', function () {
  this.timeout(180_000);
  let opened: Awaited<ReturnType<typeof tempCaseStore>>;
  let server: RunningHttpServer;
  let router: Router;
  let base: string;
  let doc: Json;

  beforeEach(async () => {
    opened = await tempCaseStore();
    const operations = createCaseOperations({ client: testEnv().client, store: opened.store });
    const privacyDeps = { client: testEnv().client, store: opened.store };
    const moderation = await openModeration(
      opened.database,
      loadConfig({}, { dotenvPath: false }),
      pino({ level: 'silent' }),
    );
    // Everything under /api, composed as the webhooks role mounts it.
    router = apiRouter({
      tokens: [
        { token: TOKEN, scope: ALL_GUILDS },
        { token: 'other-server-token-0123456789', scope: onlyGuilds('999999999999999999') },
      ],
      operations,
      privacy: {
        export: (user) => exportUser(privacyDeps, user),
        forget: (user) => forgetUser({ ...privacyDeps, namespace: 'default' }, user),
      },
      blocks: moderation.blocks,
    });
    const app = createWebhookApp({
      logger: pino({ level: 'silent' }),
      readiness: async () => undefined,
      routers: [{ path: '/api', router }],
    });
    server = await listen(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}/api`;
    const res = await fetch(`${base}/openapi.json`);
    assert.equal(res.status, 200, 'the document needs no token');
    doc = (await res.json()) as Json;
  });
  afterEach(async () => {
    await server.close();
    await opened.close();
  });

  const paths = () => doc.paths as Record<string, Record<string, Operation>>;

  /** Checks an answer against the document: its status is documented for the route and its body matches. */
  function checkAnswer(ajv: Ajv2020, route: string, method: string, status: number, body: unknown): void {
    const op = paths()[route]![method]!;
    const documented = op.responses[String(status)];
    assert.ok(documented, `${method.toUpperCase()} ${route} answered ${status}, which it does not document`);
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) return;
    const pointer = responsePointer(route, method, String(status));
    const validate = ajv.getSchema(pointer);
    assert.ok(validate, pointer);
    assert.ok(
      validate(body),
      `${method.toUpperCase()} ${route} ${status}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`,
    );
  }

  function validator(): Ajv2020 {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'doc');
    return ajv;
  }

  async function seed() {
    const { store } = opened;
    await store.openCase({
      idempotencyKey: 'support-1',
      type: 'support',
      guildId: GUILD,
      reporter: { discordId: '200000000000000009', name: 'Ada' },
      title: 'Help',
      description: 'Need help',
      transcript: [
        {
          entryId: 'm1',
          direction: 'inbound',
          authorKind: 'user',
          author: 'Ada',
          text: 'hello',
          attachments: [{ url: 'https://cdn.example/a.png', name: 'a.png' }],
          at: '2026-01-01T00:00:00.000Z',
        },
      ],
    });
  }

  it('is an OpenAPI 3.1 document whose schemas all compile as JSON Schema 2020-12', () => {
    assert.equal(doc.openapi, '3.1.0');
    const ajv = validator();
    for (const [route, methods] of Object.entries(paths())) {
      for (const [method, op] of Object.entries(methods)) {
        for (const p of op.parameters ?? []) ajv.compile(p.schema);
        for (const [status, r] of Object.entries(op.responses)) {
          assert.ok(/^[2-5]\d\d$/.test(status), `${method} ${route}: ${status}`);
          if (r.content?.['application/json']?.schema) {
            assert.ok(ajv.getSchema(responsePointer(route, method, status)), `${method} ${route} ${status}`);
          }
        }
      }
    }
    assert.ok(ajv.getSchema('doc#/components/schemas/CaseDetail'));
  });

  it('documents every route the router serves, and no route it does not', () => {
    interface Layer {
      route?: { path: string; methods: Json };
      handle?: { stack?: Layer[] };
    }
    const served = new Set<string>();
    // Routers mounted inside routers (cases, blocks) at the same /api root.
    const walk = (stack: Layer[]): void => {
      for (const layer of stack) {
        if (layer.handle?.stack) walk(layer.handle.stack);
        if (!layer.route) continue;
        for (const method of Object.keys(layer.route.methods)) {
          served.add(`${method} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
        }
      }
    };
    walk((router as unknown as { stack: Layer[] }).stack);
    const documented = new Set(
      Object.entries(paths()).flatMap(([route, methods]) => Object.keys(methods).map((m) => `${m} ${route}`)),
    );
    assert.deepEqual([...served].sort(), [...documented].sort());
  });

  it('answers as documented on every route, for good and bad requests alike', async () => {
    await seed();
    const ajv = validator();
    const { client } = testEnv();
    const { activities } = reportActivities(opened.store);
    await withWorker(activities, async (taskQueue) => {
      const report = await fileReport(client, { taskQueue, input: reportInput({ guildId: GUILD }) });
      const other = await fileReport(client, { taskQueue, input: reportInput({ guildId: GUILD }) });
      const calls: [string, string, string, unknown?, string?][] = [
        ['get', '/cases', '/cases'],
        ['get', '/cases', '/cases?status=open&type=bug&limit=2'],
        ['get', '/cases', '/cases?status=sleeping'],
        ['get', '/cases', '/cases', undefined, 'nope'],
        ['get', '/cases', '/cases?guild=1', undefined, 'other-server-token-0123456789'],
        ['get', '/cases/{number}', '/cases/1001'],
        ['get', '/cases/{number}', `/cases/${report.caseNumber}`],
        ['get', '/cases/{number}', '/cases/99999'],
        ['get', '/cases/{number}', '/cases/abc'],
        ['post', '/cases/{number}/note', '/cases/1001/note', { note: 'called back' }],
        ['post', '/cases/{number}/assign', `/cases/${report.caseNumber}/assign`, { agent: 'grace' }],
        ['post', '/cases/{number}/triage', `/cases/${report.caseNumber}/triage`, { note: 'seen' }],
        ['post', '/cases/{number}/triage', `/cases/${report.caseNumber}/triage`, {}],
        ['post', '/cases/{number}/triage', '/cases/1001/triage', {}],
        [
          'post',
          '/cases/{number}/link',
          `/cases/${other.caseNumber}/link`,
          { duplicateOf: report.caseNumber },
        ],
        ['post', '/cases/{number}/link', '/cases/1001/link', { duplicateOf: 1001 }],
        ['post', '/cases/{number}/close', `/cases/${report.caseNumber}/close`, { reason: 'fixed' }],
        ['post', '/cases/{number}/close', '/cases/1001/close', { reason: '' }],
        ['post', '/cases/{number}/close', '/cases/1001/close', undefined],
        ['get', '/cases/{number}', `/cases/${other.caseNumber}`],
        ['get', '/privacy/users/{user}', '/privacy/users/200000000000000009'],
        ['get', '/privacy/users/{user}', '/privacy/users/ana'],
        [
          'get',
          '/privacy/users/{user}',
          '/privacy/users/200000000000000009',
          undefined,
          'other-server-token-0123456789',
        ],
        ['post', '/privacy/users/{user}/forget', '/privacy/users/200000000000000009/forget', {}],
        ['post', '/privacy/users/{user}/forget', '/privacy/users/1/forget', {}],
        ['post', '/blocks', '/blocks', { guild: GUILD, user: '200000000000000007', reason: 'spam', days: 7 }],
        ['post', '/blocks', '/blocks', { guild: GUILD, user: '200000000000000007', reason: ' ' }],
        [
          'post',
          '/blocks',
          '/blocks',
          { guild: '999999999999999998', user: '200000000000000007', reason: 'x' },
          'other-server-token-0123456789',
        ],
        ['get', '/blocks', '/blocks'],
        ['get', '/blocks', `/blocks?guild=${GUILD}`, undefined, 'other-server-token-0123456789'],
        ['delete', '/blocks/{guild}/{user}', `/blocks/${GUILD}/200000000000000007`],
        ['delete', '/blocks/{guild}/{user}', '/blocks/x/y'],
      ];
      for (const [method, route, url, body, token] of calls) {
        const res = await fetch(`${base}${url}`, {
          method: method.toUpperCase(),
          headers: { authorization: `Bearer ${token ?? TOKEN}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        checkAnswer(ajv, route, method, res.status, await res.json());
      }
    });
  });

  it('never answers 5xx, and never calls a request the document allows invalid (property-based)', async () => {
    await seed();
    const ajv = validator();
    const { client } = testEnv();
    const { activities } = reportActivities(opened.store);
    await withWorker(activities, async (taskQueue) => {
      const report = await fileReport(client, { taskQueue, input: reportInput({ guildId: GUILD }) });
      const known = fc.constantFrom(1001, report.caseNumber);
      for (const [route, methods] of Object.entries(paths())) {
        for (const [method, op] of Object.entries(methods)) {
          if (route === '/openapi.json') continue;
          const params = op.parameters ?? [];
          const value = (p: (typeof params)[number]) =>
            p.name === 'number' ? fc.oneof(known, arbitraryFor(p.schema, doc)) : arbitraryFor(p.schema, doc);
          const valid = fc.record({
            path: fc.record(
              Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, value(p)])),
            ),
            query: fc.record(
              Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, value(p)])),
              { requiredKeys: [] },
            ),
            header: fc.record(
              Object.fromEntries(
                params
                  .filter((p) => p.in === 'header')
                  // Header values travel as visible ASCII.
                  .map((p) => [p.name, value(p).filter((v) => /^[\x21-\x7e]+$/.test(String(v)))]),
              ),
              { requiredKeys: [] },
            ),
            body: op.requestBody
              ? arbitraryFor(op.requestBody.content['application/json'].schema, doc)
              : fc.constant(undefined),
          });
          const junk = fc.record({
            // Any non-empty path segment ('' or a dot segment would address another route).
            path: fc.record({
              number: fc.oneof(
                fc.string({ minLength: 1 }).filter((v) => v !== '.' && v !== '..'),
                fc.integer(),
                known,
              ),
            }),
            query: fc.dictionary(
              fc.constantFrom('status', 'type', 'guild', 'reporter', 'limit', 'x'),
              fc.string(),
            ),
            header: fc.constant({}),
            body: fc.oneof(
              fc.jsonValue(),
              fc.string().map((s) => ({ raw: s })),
            ),
          });
          const send = async (
            req: { path: Json; query: Json; header: Json; body: unknown },
            isValid: boolean,
          ): Promise<void> => {
            const url = new URL(
              `${base}${route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(req.path[name])))}`,
            );
            for (const [k, v] of Object.entries(req.query)) url.searchParams.set(k, String(v));
            const raw = (req.body as { raw?: unknown } | undefined)?.raw;
            const res = await fetch(url, {
              method: method.toUpperCase(),
              headers: {
                authorization: `Bearer ${TOKEN}`,
                'content-type': 'application/json',
                ...(req.header as Record<string, string>),
              },
              ...(method === 'get' || req.body === undefined
                ? {}
                : { body: typeof raw === 'string' ? raw : JSON.stringify(req.body) }),
            });
            const answer = (await res.json()) as { error?: string };
            assert.ok(res.status < 500, `${method} ${url.pathname}${url.search} → ${res.status}`);
            checkAnswer(ajv, route, method, res.status, answer);
            if (isValid) {
              assert.notEqual(
                answer.error,
                'invalid_request',
                `valid by the document but refused: ${JSON.stringify(req)} → ${JSON.stringify(answer)}`,
              );
            }
          };
          await fc.assert(
            fc.asyncProperty(valid, (req) => send(req, true)),
            { numRuns: 40, endOnFailure: true },
          );
          await fc.assert(
            fc.asyncProperty(junk, (req) => send(req, false)),
            { numRuns: 40, endOnFailure: true },
          );
        }
      }
    });
  });
});
