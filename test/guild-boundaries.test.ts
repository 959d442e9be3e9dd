import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { createCaseActivities } from '../src/activities/cases/activities';
import { createDiscordActivities } from '../src/activities/discord/activities';
import { createDiscordRest, DiscordRestPort } from '../src/activities/discord/discord-rest-port';
import { ALL_GUILDS, onlyGuilds } from '../src/cases/guild-scope';
import { createCaseOperations, fileReport, type StaffContext } from '../src/cases/report-client';
import { duplicateLinkedSignal, markDuplicateUpdate, reportStateQuery } from '../src/shared/report-messages';
import type { reportWorkflow } from '../src/workflows/reports/report-workflow';
import { caseApiRouter } from '../src/webhooks/api/case-api-router';
import { createWebhookApp } from '../src/webhooks/app';
import { listen, type RunningHttpServer } from '../src/webhooks/http-server';
import { FakeDiscord, waitFor } from '../src/sandbox/discord';
import { reportInput, tempCaseStore } from './support/case-fixtures';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '..', 'bin', 'flexcord.js');

/*
 * Server boundaries: one flexcord can serve several Discord servers, and nothing one server's staff or API token
 * does may read, change or message another server's cases and members. Every refused attempt must leave the case
 * store, the report workflows and Discord exactly as they were.
 */
describe('guild boundaries of cases', function () {
  this.timeout(90_000);
  let opened: Awaited<ReturnType<typeof tempCaseStore>>;
  let discord: FakeDiscord;
  let guildA: string;
  let guildB: string;
  let reporterA: string;
  let reporterB: string;

  beforeEach(async () => {
    opened = await tempCaseStore();
    discord = await new FakeDiscord({ rateLimits: [] }).start();
    guildA = discord.addGuild('Acme').guild.id;
    guildB = discord.addGuild('Globex').guild.id;
    reporterA = discord.addUser('ana').id;
    reporterB = discord.addUser('bo').id;
    discord.addMember(guildA, reporterA);
    discord.addMember(guildB, reporterB);
  });
  afterEach(async () => {
    assert.deepEqual(discord.checker.violations, [], 'all Discord traffic matches the OpenAPI spec');
    await discord.stop();
    await opened.close();
  });

  /** The report workflow's activities: the real case store and the real Discord adapter on the Discord fake. */
  const activities = () => ({
    ...createCaseActivities({ caseStore: opened.store }),
    ...createDiscordActivities(
      new DiscordRestPort(createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl })),
    ),
  });
  const dmsTo = (userId: string) => discord.messagesIn(discord.dmChannelFor(userId).id).map((m) => m.content);

  /** One open bug report in each server, each with its own reporter. */
  async function fileOneEach(taskQueue: string) {
    const { client } = testEnv();
    const a = await fileReport(client, {
      taskQueue,
      input: reportInput({
        guildId: guildA,
        reporter: { discordId: reporterA, name: 'ana' },
        title: 'Acme secret',
      }),
    });
    const b = await fileReport(client, {
      taskQueue,
      input: reportInput({
        guildId: guildB,
        reporter: { discordId: reporterB, name: 'bo' },
        title: 'Globex bug',
      }),
    });
    return { a, b };
  }

  /** The case, its workflow's state and both reporters' DMs, to compare before and after a refused attempt. */
  async function snapshot(caseNumbers: number[], workflowIds: string[]) {
    const { client } = testEnv();
    return {
      cases: await Promise.all(caseNumbers.map((n) => opened.store.getCase(n))),
      states: await Promise.all(
        workflowIds.map((id) => client.workflow.getHandle<typeof reportWorkflow>(id).query(reportStateQuery)),
      ),
      dms: [dmsTo(reporterA), dmsTo(reporterB)],
    };
  }

  const all: StaffContext = { actor: 'cli:op', scope: ALL_GUILDS };

  it('refuses to link a duplicate to a report of another server: nothing changes, nobody is messaged', async () => {
    const { client } = testEnv();
    const ops = createCaseOperations({ client, store: opened.store });
    await withWorker(activities(), async (taskQueue) => {
      const { a, b } = await fileOneEach(taskQueue);
      const before = await snapshot([a.caseNumber, b.caseNumber], [a.workflowId, b.workflowId]);
      await assert.rejects(
        ops.linkDuplicate(b.caseNumber, { originalCaseNumber: a.caseNumber }, { ...all, eventId: 'x-link' }),
        (err: Error & { code?: string }) => {
          assert.equal(err.code, 'invalid');
          assert.match(err.message, /another server/);
          return true;
        },
      );
      assert.deepEqual(await snapshot([a.caseNumber, b.caseNumber], [a.workflowId, b.workflowId]), before);
      // Closing the would-be original tells its own reporter only.
      await ops.close(a.caseNumber, { reason: 'Fixed' }, { ...all, eventId: 'close-a' });
      await client.workflow.getHandle(a.workflowId).result();
    });
    assert.equal(dmsTo(reporterB).length, 0, 'the other server’s reporter heard nothing');
    assert.equal(dmsTo(reporterA).length, 1);
  });

  it('the report workflow itself refuses an original from another server and ignores its link signal', async () => {
    const { client } = testEnv();
    const ops = createCaseOperations({ client, store: opened.store });
    await withWorker(activities(), async (taskQueue) => {
      const { a, b } = await fileOneEach(taskQueue);
      const before = await snapshot([a.caseNumber, b.caseNumber], [a.workflowId, b.workflowId]);
      // A caller that skips the case operations and updates the workflow directly.
      await assert.rejects(
        client.workflow.getHandle(b.workflowId).executeUpdate(markDuplicateUpdate, {
          args: [
            {
              eventId: 'direct-link',
              actor: 'x',
              originalCaseNumber: a.caseNumber,
              originalWorkflowId: a.workflowId,
              originalGuildId: guildA,
            },
          ],
        }),
        (err: Error) => {
          assert.match(String((err.cause as Error | undefined)?.message), /another server/);
          return true;
        },
      );
      // A link signal that says it comes from another server's report is not followed.
      await client.workflow.getHandle(a.workflowId).signal(duplicateLinkedSignal, {
        eventId: 'forged',
        caseNumber: b.caseNumber,
        reporterId: reporterB,
        guildId: guildB,
      });
      assert.deepEqual(await snapshot([a.caseNumber, b.caseNumber], [a.workflowId, b.workflowId]), before);
      await ops.close(a.caseNumber, { reason: 'Fixed' }, { ...all, eventId: 'close-a' });
      await client.workflow.getHandle(a.workflowId).result();
      await recordHistory(client, a.workflowId, 'report-foreign-link-ignored-v1');
    });
    assert.equal(dmsTo(reporterB).length, 0, 'the other server’s reporter heard nothing');
  });

  it('the case store refuses to link cases of two servers', async () => {
    const a = await opened.store.openCase({ ...reportInput({ guildId: guildA }), type: 'bug' });
    const b = await opened.store.openCase({ ...reportInput({ guildId: guildB }), type: 'bug' });
    await assert.rejects(
      opened.store.linkCases(
        { caseNumber: b.caseNumber, linkedCaseNumber: a.caseNumber, kind: 'duplicate_of' },
        { eventId: 'l', actor: 'x', action: 'linked_duplicate' },
      ),
      /another server/,
    );
    assert.deepEqual((await opened.store.getCase(b.caseNumber))!.links, []);
  });

  describe('case API tokens scoped to servers', () => {
    let server: RunningHttpServer;
    afterEach(async () => {
      await server?.close();
    });

    async function start(): Promise<string> {
      const operations = createCaseOperations({ client: testEnv().client, store: opened.store });
      const app = createWebhookApp({
        logger: pino({ level: 'silent' }),
        readiness: async () => undefined,
        routers: [
          {
            path: '/api',
            router: caseApiRouter({
              tokens: [
                { token: 'token-for-acme-0123456789', scope: onlyGuilds(guildA) },
                { token: 'token-for-all-0123456789', scope: ALL_GUILDS },
              ],
              operations,
            }),
          },
        ],
      });
      server = await listen(app, 0, '127.0.0.1');
      return `http://127.0.0.1:${server.port}/api`;
    }

    it('sees and changes only its servers’ cases: every other attempt is refused and changes nothing', async () => {
      const base = await start();
      const call = (token: string, p: string, body?: unknown) =>
        fetch(`${base}${p}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const acme = 'token-for-acme-0123456789';
      await withWorker(activities(), async (taskQueue) => {
        const { a, b } = await fileOneEach(taskQueue);
        const support = await opened.store.openCase({
          idempotencyKey: 'support-b',
          type: 'support',
          guildId: guildB,
          reporter: { discordId: reporterB, name: 'bo' },
          title: 'Help',
          description: 'private',
        });
        const numbers = [a.caseNumber, b.caseNumber, support.caseNumber];
        const before = await snapshot(numbers, [a.workflowId, b.workflowId]);

        const listed = (await (await call(acme, '/cases')).json()) as { cases: { number: number }[] };
        assert.deepEqual(
          listed.cases.map((c) => c.number),
          [a.caseNumber],
        );
        assert.equal((await call(acme, `/cases?guild=${guildB}`)).status, 403);
        assert.equal((await call(acme, `/cases/${a.caseNumber}`)).status, 200);
        for (const n of [b.caseNumber, support.caseNumber]) {
          assert.equal((await call(acme, `/cases/${n}`)).status, 404, `show #${n}`);
          for (const [action, body] of [
            ['close', { reason: 'spam' }],
            ['triage', { note: 'x' }],
            ['assign', { agent: 'mallory' }],
            ['note', { note: 'x' }],
            ['link', { duplicateOf: a.caseNumber }],
          ] as const) {
            const res = await call(acme, `/cases/${n}/${action}`, body);
            assert.equal(res.status, 404, `${action} #${n}`);
          }
        }
        // Its own case cannot be linked to a case it cannot see.
        assert.equal(
          (await call(acme, `/cases/${a.caseNumber}/link`, { duplicateOf: b.caseNumber })).status,
          404,
        );
        // A token for every server still cannot link across servers.
        const cross = await call('token-for-all-0123456789', `/cases/${b.caseNumber}/link`, {
          duplicateOf: a.caseNumber,
        });
        assert.equal(cross.status, 400);
        assert.match(((await cross.json()) as { message: string }).message, /another server/);

        assert.deepEqual(await snapshot(numbers, [a.workflowId, b.workflowId]), before);
        // The same token does act on its own server's case.
        assert.equal((await call(acme, `/cases/${a.caseNumber}/triage`, { note: 'on it' })).status, 200);
        // Its reporter's DM follows the answer on its own.
        await waitFor(() => dmsTo(reporterA).length > 0, 15_000, 'the triage DM');
      });
      assert.equal(dmsTo(reporterB).length, 0, 'the other server’s reporter heard nothing');
      assert.equal(dmsTo(reporterA).length, 1);
    });
  });

  describe('flexcord cases --guild', () => {
    it('acts only on a case of the named server and refuses another server’s case', async () => {
      const { address } = testEnv();
      const dir = path.dirname(opened.database.location);
      const cli = (...args: string[]) =>
        run(process.execPath, [BIN, 'cases', ...args], {
          env: {
            ...process.env,
            FLEXCORD_DATA_DIR: dir,
            DATABASE_URL: '',
            DISCORD_GUILD_ID: '',
            LOG_LEVEL: 'silent',
            TEMPORAL_ADDRESS: address,
            TEMPORAL_NAMESPACE: 'default',
          },
          cwd: dir,
        });
      const failure = (p: Promise<unknown>) =>
        p.then(
          () => assert.fail('expected the command to fail'),
          (err: { code: number; stderr: string }) => err,
        );
      await withWorker(activities(), async (taskQueue) => {
        const { a, b } = await fileOneEach(taskQueue);
        const before = await snapshot([a.caseNumber, b.caseNumber], [a.workflowId, b.workflowId]);
        const n = String(b.caseNumber);
        const wrong = await failure(cli('triage', n, '--guild', guildA, '--note', 'x'));
        assert.match(wrong.stderr, new RegExp(`no case #${n} in server ${guildA}`));
        const closeWrong = await failure(cli('close', n, '--guild', guildA, '--reason', 'x'));
        assert.match(closeWrong.stderr, new RegExp(`no case #${n} in server ${guildA}`));
        const showWrong = await failure(cli('show', n, '--guild', guildA));
        assert.match(showWrong.stderr, new RegExp(`no case #${n} in server ${guildA}`));
        // A change names its server: without --guild (and without DISCORD_GUILD_ID) it is refused.
        const unnamed = await failure(cli('triage', n));
        assert.match(unnamed.stderr, /--guild/);
        assert.deepEqual(await snapshot([a.caseNumber, b.caseNumber], [a.workflowId, b.workflowId]), before);

        const ok = await cli('triage', n, '--guild', guildB, '--note', 'looking');
        assert.equal(ok.stdout.trim(), `case #${n} is now triaged`);
      });
      assert.equal(dmsTo(reporterA).length, 0);
      assert.equal(dmsTo(reporterB).length, 1);
    });
  });
});
