import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { WorkflowNotFoundError } from '@temporalio/client';
import { createCaseOperations, fileReport } from '../src/cases/report-client';
import pino from 'pino';
import { createTwilioClient } from '../src/activities/twilio/twilio-client';
import { ALL_GUILDS, onlyGuilds } from '../src/cases/guild-scope';
import { forgetUser } from '../src/privacy/forget-user';
import { TwilioCustomerDataAdapter } from '../src/privacy/twilio-customer-data';
import { exportUser } from '../src/privacy/user-data';
import { caseApiRouter } from '../src/webhooks/api/case-api-router';
import { createWebhookApp } from '../src/webhooks/app';
import { listen } from '../src/webhooks/http-server';
import { reportStateQuery } from '../src/shared/report-messages';
import { supportWorkflowId } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserAction,
  sendUserMessage,
} from '../src/temporal/support-client';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { reportActivities, reportInput, tempCaseStore } from './support/case-fixtures';
import { eventually, QUIET_TIMINGS, userMessage } from './support/conversation-helpers';
import { flexActivities, IDENTITY_SECRET } from './support/flex-adapter';
import { testEnv } from './support/global-fixtures';
import { nonTwilioStandIns } from './support/twilio-harness';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '..', 'bin', 'flexcord.js');

/*
 * A user's right to see and to erase what flexcord keeps about them: `flexcord privacy export` writes it all as
 * JSON, `flexcord privacy forget` closes what is still running, then deletes their cases, their workflow
 * executions and their Twilio conversations, and makes sure nothing will message them later. Everything about
 * other users stays.
 */
describe('flexcord privacy (export and forget a user)', function () {
  this.timeout(180_000);
  let opened: Awaited<ReturnType<typeof tempCaseStore>>;
  let fake: FakeTwilio;

  beforeEach(async () => {
    opened = await tempCaseStore();
    fake = await new FakeTwilio().start();
  });
  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.specViolations, [], 'requests and answers must match Twilio OpenAPI specs');
    await opened.close();
  });

  const ana = '300000000000000001';
  const vic = '300000000000000002';
  const guildA = '310000000000000001';
  const guildB = '310000000000000002';
  const input = (guildId: string, userId: string) => ({
    user: { guildId, userId, userName: userId === ana ? 'ana' : 'vic' },
    timings: { ...QUIET_TIMINGS },
    preferThread: false,
  });

  function cli(...args: string[]) {
    const dir = path.dirname(opened.database.location);
    return run(process.execPath, [BIN, 'privacy', ...args], {
      env: {
        ...process.env,
        FLEXCORD_DATA_DIR: dir,
        DATABASE_URL: '',
        DISCORD_GUILD_ID: '',
        LOG_LEVEL: 'silent',
        TEMPORAL_ADDRESS: testEnv().address,
        TEMPORAL_NAMESPACE: 'default',
        TWILIO_ACCOUNT_SID: fake.accountSid,
        TWILIO_AUTH_TOKEN: fake.authToken,
        TWILIO_API_BASE_URL: fake.url,
        TWILIO_IDENTITY_SECRET: IDENTITY_SECRET,
      },
      cwd: dir,
      maxBuffer: 32 * 1024 * 1024,
    });
  }

  it('exports everything kept about a user, then forgets it: closed first, deleted everywhere, idempotent', async () => {
    const { client } = testEnv();
    const reports = reportActivities(opened.store);
    const others = nonTwilioStandIns();
    const activities = { ...others.activities, ...reports.activities, ...flexActivities(fake) };
    const ops = createCaseOperations({ client, store: opened.store });
    const staff = { actor: 'api:staff', scope: ALL_GUILDS };

    await withWorker(activities, async (taskQueue) => {
      // Ana's first conversation: handed to Flex, closed by her and rated. Her second: waiting for an agent.
      const first = input(guildA, ana);
      await openSupportConversation(client, { taskQueue, input: first });
      await sendUserMessage(client, {
        taskQueue,
        input: first,
        event: userMessage('my order 7731 never arrived'),
      });
      await sendUserMessage(client, {
        taskQueue,
        input: first,
        event: userMessage('talk to a human please'),
      });
      const firstId = supportWorkflowId(guildA, ana);
      await eventually(async () =>
        assert.equal((await getConversationState(client, firstId)).phase, 'waiting_for_agent'),
      );
      await sendUserAction(client, {
        workflowId: firstId,
        signal: 'userClose',
        event: { eventId: 'close-1' },
      });
      await eventually(async () =>
        assert.equal((await getConversationState(client, firstId)).phase, 'closed'),
      );
      await sendUserAction(client, {
        workflowId: firstId,
        signal: 'rating',
        event: { eventId: 'rate-1', rating: 5 },
      });
      await client.workflow.getHandle(firstId).result();

      const second = input(guildB, ana);
      await openSupportConversation(client, { taskQueue, input: second });
      await sendUserMessage(client, {
        taskQueue,
        input: second,
        event: userMessage('talk to a human please'),
      });
      const secondId = supportWorkflowId(guildB, ana);
      await eventually(async () =>
        assert.equal((await getConversationState(client, secondId)).phase, 'waiting_for_agent'),
      );

      // Vic's report is the original; Ana's is linked to it as a duplicate. Vic also has a conversation.
      const original = await fileReport(client, {
        taskQueue,
        input: reportInput({
          guildId: guildA,
          reporter: { discordId: vic, name: 'vic' },
          title: 'Shop crashes',
        }),
      });
      const duplicate = await fileReport(client, {
        taskQueue,
        input: reportInput({
          guildId: guildA,
          reporter: { discordId: ana, name: 'ana' },
          title: 'Shop crash again',
        }),
      });
      await ops.linkDuplicate(
        duplicate.caseNumber,
        { originalCaseNumber: original.caseNumber },
        { ...staff, eventId: 'link' },
      );
      const vicConversation = input(guildA, vic);
      await openSupportConversation(client, { taskQueue, input: vicConversation });
      await sendUserMessage(client, {
        taskQueue,
        input: vicConversation,
        event: userMessage('hello from vic'),
      });

      const anasCases = (await opened.store.listCases({ reporterId: ana })).map((c) => c.number).sort();
      assert.equal(anasCases.length, 3);
      const anasConversations = (await opened.store.listCases({ reporterId: ana, type: 'support' })).map(
        (c) => c.number,
      );
      // The case learns its Flex conversation after the phase says waiting_for_agent: a loaded machine shows the gap.
      const twilioSids = await eventually(async () => {
        const sids = await Promise.all(
          anasConversations.map(async (n) => (await opened.store.getCase(n))!.twilio.conversationSid!),
        );
        assert.ok(
          sids.every((sid) => fake.conversations.has(sid)),
          'each of her support cases has its Flex conversation',
        );
        return sids;
      });
      const vicsCases = await opened.store.listCases({ reporterId: vic });

      // Export: every case with transcript, events and rating; her workflows; her Twilio conversations.
      const exported = JSON.parse((await cli('export', ana)).stdout) as {
        discordUserId: string;
        cases: { number: number; transcript: { text: string }[]; rating?: number; title: string }[];
        workflows: { workflowId: string; status: string }[];
        twilioConversations: string[];
      };
      assert.equal(exported.discordUserId, ana);
      assert.deepEqual(exported.cases.map((c) => c.number).sort(), anasCases);
      const texts = exported.cases.flatMap((c) => c.transcript.map((t) => t.text));
      assert.ok(texts.includes('my order 7731 never arrived'));
      assert.ok(exported.cases.some((c) => c.rating === 5));
      assert.ok(exported.cases.some((c) => c.title === 'Shop crash again'));
      assert.deepEqual(
        [...new Set(exported.workflows.map((w) => w.workflowId))].sort(),
        [firstId, secondId, duplicate.workflowId].sort(),
      );
      assert.deepEqual([...exported.twilioConversations].sort(), [...twilioSids].sort());
      assert.ok(!JSON.stringify(exported).includes(vic), 'nothing about anyone else');

      // Forget: the running conversation is closed first (its Twilio conversation closed before it is deleted).
      const forgot = await cli('forget', ana);
      assert.match(forgot.stdout, /closed 1 running conversation/);
      assert.match(forgot.stdout, /deleted 2 Twilio conversations/);
      assert.match(forgot.stdout, /deleted 3 cases/);
      assert.match(forgot.stdout, /deleted \d+ workflow executions/);
      assert.match(forgot.stdout, /1 other report will not message them/);
      const secondSid = twilioSids.find((sid) => fake.requests.some((r) => r.path.includes(sid)))!;
      const closeAt = fake.requests.findIndex(
        (r) => r.method === 'POST' && r.path.endsWith(secondSid) && r.form.State === 'closed',
      );
      const deleteAt = fake.requests.findIndex((r) => r.method === 'DELETE' && r.path.endsWith(secondSid));
      assert.ok(closeAt >= 0 && deleteAt > closeAt, 'closed, then deleted');
      assert.ok(
        others.discord.some((m) => m.channel.channelId === `dm-${ana}` && /closed/i.test(m.text)),
        'the running conversation ended the way a close ends it',
      );

      // Nothing of hers is left: case store, Twilio, Temporal.
      assert.deepEqual(await opened.store.listCases({ reporterId: ana }), []);
      assert.ok(twilioSids.every((sid) => !fake.conversations.has(sid)));
      for (const id of [firstId, secondId, duplicate.workflowId]) {
        await assert.rejects(client.workflow.getHandle(id).describe(), WorkflowNotFoundError, id);
      }
      // Everyone else's is as it was, and Vic's report no longer plans to DM her.
      assert.deepEqual(await opened.store.listCases({ reporterId: vic }), vicsCases);
      assert.equal((await getConversationState(client, supportWorkflowId(guildA, vic))).phase, 'bot');
      const vicReport = await client.workflow.getHandle(original.workflowId).query(reportStateQuery);
      assert.deepEqual(vicReport.duplicates, []);

      // Again: nothing left to do, and it says so.
      const again = await cli('forget', ana);
      assert.match(again.stdout, /nothing (left|stored)/i);
      const emptyExport = JSON.parse((await cli('export', ana)).stdout) as {
        cases: unknown[];
        workflows: unknown[];
      };
      assert.deepEqual(emptyExport.cases, []);

      await ops.close(
        original.caseNumber,
        { reason: 'Fixed in 2.4' },
        { ...staff, eventId: 'close-original' },
      );
      await client.workflow.getHandle(original.workflowId).result();
      // The report workflow's new forgetReporter signal, kept replaying from now on.
      await recordHistory(client, original.workflowId, 'report-forget-reporter-v1');
    });
    assert.ok(
      !reports.sent.some((dm) => dm.userId === ana && /Fixed in 2\.4/.test(dm.text)),
      'she is not DMed',
    );
  });

  it('offers export and forget to staff over the API, only with a token for every server', async () => {
    const { client } = testEnv();
    const { activities } = reportActivities(opened.store);
    const privacyDeps = {
      client,
      store: opened.store,
      twilio: new TwilioCustomerDataAdapter({
        client: createTwilioClient({
          accountSid: fake.accountSid,
          authToken: fake.authToken,
          apiBaseUrl: fake.url,
        }),
        identitySecret: IDENTITY_SECRET,
      }),
    };
    const app = createWebhookApp({
      logger: pino({ level: 'silent' }),
      readiness: async () => undefined,
      routers: [
        {
          path: '/api',
          router: caseApiRouter({
            tokens: [
              { token: 'all-servers-token-0123456789', scope: ALL_GUILDS },
              { token: 'one-server-token-0123456789', scope: onlyGuilds(guildA) },
            ],
            operations: createCaseOperations({ client, store: opened.store }),
            privacy: {
              export: (user) => exportUser(privacyDeps, user),
              forget: (user) => forgetUser({ ...privacyDeps, namespace: 'default' }, user),
            },
          }),
        },
      ],
    });
    const server = await listen(app, 0, '127.0.0.1');
    const call = (token: string, p: string, method = 'GET') =>
      fetch(`http://127.0.0.1:${server.port}/api${p}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      });
    try {
      await withWorker(activities, async (taskQueue) => {
        const filed = await fileReport(client, {
          taskQueue,
          input: reportInput({ guildId: guildA, reporter: { discordId: ana, name: 'ana' } }),
        });
        await createCaseOperations({ client, store: opened.store }).close(
          filed.caseNumber,
          { reason: 'done' },
          { actor: 'api:x', scope: ALL_GUILDS, eventId: 'c' },
        );
        await client.workflow.getHandle(filed.workflowId).result();

        // A token for one server sees one server's cases; a person spans servers.
        assert.equal((await call('one-server-token-0123456789', `/privacy/users/${ana}`)).status, 403);
        assert.equal(
          (await call('one-server-token-0123456789', `/privacy/users/${ana}/forget`, 'POST')).status,
          403,
        );
        assert.equal((await opened.store.listCases({ reporterId: ana })).length, 1, 'nothing changed');
        assert.equal((await call('all-servers-token-0123456789', '/privacy/users/not-an-id')).status, 400);

        const exported = (await (
          await call('all-servers-token-0123456789', `/privacy/users/${ana}`)
        ).json()) as {
          cases: { number: number }[];
        };
        assert.deepEqual(
          exported.cases.map((c) => c.number),
          [filed.caseNumber],
        );
        const forgot = await call('all-servers-token-0123456789', `/privacy/users/${ana}/forget`, 'POST');
        assert.equal(forgot.status, 200);
        const report = (await forgot.json()) as { casesDeleted: number; workflowExecutionsDeleted: number };
        assert.equal(report.casesDeleted, 1);
        assert.ok(report.workflowExecutionsDeleted >= 1);
        assert.deepEqual(await opened.store.listCases({ reporterId: ana }), []);
        await assert.rejects(client.workflow.getHandle(filed.workflowId).describe(), WorkflowNotFoundError);
      });
    } finally {
      await server.close();
    }
  });
});
