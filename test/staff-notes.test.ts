import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import pino from 'pino';
import { ALL_GUILDS } from '../src/cases/guild-scope';
import { createCaseOperations, fileReport } from '../src/cases/report-client';
import { SqlCaseStore } from '../src/cases/sql-case-store';
import type { CaseDetail } from '../src/activities/cases/port';
import { supportWorkflowId } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserMessage,
} from '../src/temporal/support-client';
import { caseApiRouter } from '../src/webhooks/api/case-api-router';
import { createWebhookApp } from '../src/webhooks/app';
import { listen } from '../src/webhooks/http-server';
import { FakeSupportWorld } from './fakes/support-activities';
import { reportActivities, reportInput, tempCaseStore } from './support/case-fixtures';
import { describeOnEachDialect } from './support/case-databases';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '..', 'bin', 'flexcord.js');

/*
 * Staff notes: private notes on a case, for staff and the Flex agent, never for the reporter. They are stored as
 * the case's `note` events; `notes` on a case, `cases show`, the exports and the Flex task attributes show them.
 */
describeOnEachDialect('staff notes in the case store', (open) => {
  it("lists a case's notes oldest first, and a reporter's newest notes across their cases in one guild", async () => {
    const store = new SqlCaseStore((await open()).db);
    const newCase = (key: string, guildId: string, reporter: string) =>
      store.openCase({
        idempotencyKey: key,
        type: 'support',
        guildId,
        reporter: { discordId: reporter, name: reporter },
        title: key,
        description: '',
      });
    const first = await newCase('a', 'g1', 'u1');
    const second = await newCase('b', 'g1', 'u1');
    const otherGuild = await newCase('c', 'g2', 'u1');
    const otherUser = await newCase('d', 'g1', 'u2');
    const note = (caseNumber: number, id: string, text: string) =>
      store.updateCase(caseNumber, {}, { eventId: id, actor: 'api:alice', action: 'note', detail: text });
    await note(first.caseNumber, 'n1', 'asked for a refund twice before');
    await store.updateCase(first.caseNumber, { priority: 'high' }, { eventId: 'p', actor: 'x', action: 'p' });
    await note(second.caseNumber, 'n2', 'VIP tester');
    await note(otherGuild.caseNumber, 'n3', 'another server');
    await note(otherUser.caseNumber, 'n4', 'another user');
    await note(first.caseNumber, 'n1', 'asked for a refund twice before');

    const detail = (await store.getCase(first.caseNumber))!;
    assert.deepEqual(
      detail.notes.map((n) => [n.caseNumber, n.author, n.text]),
      [[first.caseNumber, 'api:alice', 'asked for a refund twice before']],
    );
    const latest = await store.latestStaffNotes({ guildId: 'g1', reporterId: 'u1', limit: 5 });
    assert.deepEqual(
      latest.map((n) => [n.caseNumber, n.text]),
      [
        [second.caseNumber, 'VIP tester'],
        [first.caseNumber, 'asked for a refund twice before'],
      ],
    );
    assert.equal((await store.latestStaffNotes({ guildId: 'g1', reporterId: 'u1', limit: 1 })).length, 1);
  });
});

describe('staff notes', function () {
  this.timeout(120_000); // the CLI tests start `flexcord` several times, each seconds of start-up on a loaded machine

  it('are added through the API to support cases and reports, shown with the case, and never DM the reporter', async () => {
    const opened = await tempCaseStore();
    const { client } = testEnv();
    const { activities, sent, attempts } = reportActivities(opened.store);
    const operations = createCaseOperations({ client, store: opened.store });
    const app = createWebhookApp({
      logger: pino({ level: 'silent' }),
      readiness: async () => undefined,
      routers: [
        {
          path: '/api',
          router: caseApiRouter({ tokens: [{ token: 'tok-0123456789', scope: ALL_GUILDS }], operations }),
        },
      ],
    });
    const server = await listen(app, 0, '127.0.0.1');
    const api = (p: string, body?: unknown) =>
      fetch(`http://127.0.0.1:${server.port}/api${p}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: 'Bearer tok-0123456789', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    try {
      const support = await opened.store.openCase({
        idempotencyKey: 'support-1',
        type: 'support',
        guildId: reportInput().guildId,
        reporter: { discordId: '200000000000000001', name: 'Ada' },
        title: 'Lost my items',
        description: '',
      });
      await withWorker(activities, async (taskQueue) => {
        const report = await fileReport(client, { taskQueue, input: reportInput() });
        for (const caseNumber of [support.caseNumber, report.caseNumber]) {
          const res = await api(`/cases/${caseNumber}/note`, { note: 'Known to exaggerate', actor: 'alice' });
          assert.equal(res.status, 200);
          const shown = (await (await api(`/cases/${caseNumber}`)).json()) as { case: CaseDetail };
          assert.deepEqual(
            shown.case.notes.map((n) => [n.author, n.text]),
            [['api:alice', 'Known to exaggerate']],
          );
        }
      });
      assert.deepEqual(attempts, [], 'no DM was even tried');
      assert.deepEqual(sent, []);
    } finally {
      await server.close();
      await opened.close();
    }
  });

  it('travel to Flex in the task attributes when a conversation is handed off (newest first)', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput();
    const { guildId, userId } = input.user;
    world.staffNotes.push(
      {
        guildId,
        reporterId: userId,
        caseNumber: 7,
        author: 'api:alice',
        at: '2026-01-01T00:00:00.000Z',
        text: 'first',
      },
      {
        guildId: 'elsewhere',
        reporterId: userId,
        caseNumber: 8,
        author: 'api:bo',
        at: '2026-01-02T00:00:00.000Z',
        text: 'other server',
      },
      {
        guildId,
        reporterId: userId,
        caseNumber: 9,
        author: 'discord:42',
        at: '2026-01-03T00:00:00.000Z',
        text: 'x'.repeat(600),
      },
    );
    const { client } = testEnv();
    const workflowId = supportWorkflowId(guildId, userId);
    await withWorker(world.activities(), async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('I want a human') });
      await eventually(async () => {
        assert.equal((await getConversationState(client, workflowId)).phase, 'waiting_for_agent');
        assert.equal(world.handoffs.length, 1);
      });
      await recordHistory(client, workflowId, 'support-staff-notes-v1');
    });
    const notes = world.handoffs[0]!.taskAttributes.staffNotes as { caseNumber: number; text: string }[];
    assert.deepEqual(
      notes.map((n) => n.caseNumber),
      [9, 7],
      "only this server's notes on this user, newest first",
    );
    assert.equal(notes[0]!.text.length, 500, 'long notes are clipped for the task');
    assert.equal(notes[1]!.text, 'first');
    const toUser = world.sent.map((m) => m.text).join('\n');
    assert.doesNotMatch(toUser, /first|xxxxx/, 'the user never sees a note');
  });

  it('are added with `flexcord cases note` and shown by `cases show` and the CSV export', async () => {
    const opened = await tempCaseStore();
    const dir = path.dirname(opened.database.location);
    const { address } = testEnv();
    const cli = (...args: string[]) =>
      run(process.execPath, [BIN, 'cases', ...args], {
        env: {
          ...process.env,
          FLEXCORD_DATA_DIR: dir,
          DATABASE_URL: '',
          LOG_LEVEL: 'silent',
          TEMPORAL_ADDRESS: address,
          TEMPORAL_NAMESPACE: 'default',
        },
        cwd: dir,
      });
    try {
      const { caseNumber } = await opened.store.openCase({
        idempotencyKey: 'support-cli',
        type: 'support',
        guildId: 'g9',
        reporter: { discordId: 'u9', name: 'Cy' },
        title: 'Cannot trade',
        description: '',
      });
      const added = await cli(
        'note',
        String(caseNumber),
        'Refunded once already',
        '--guild',
        'g9',
        '--actor',
        'bo',
      );
      assert.equal(added.stdout.trim(), `added a private note to case #${caseNumber}`);
      const shown = await cli('show', String(caseNumber));
      assert.match(
        shown.stdout,
        /Staff notes \(private, never shown to the reporter\):\n {2}\[[^\]]+\] cli:bo: Refunded once already/,
      );
      const csv = await cli('export', '--format', 'csv');
      const [header, row] = csv.stdout.split('\n');
      const columns = header!.split(',');
      const cells = row!.split(',');
      assert.equal(cells[columns.indexOf('staff_notes')], '1');
      assert.equal(cells[columns.indexOf('latest_staff_note')], 'Refunded once already');
      const elsewhere = await cli('note', String(caseNumber), 'wrong server', '--guild', 'g1').then(
        () => assert.fail('a note on another server’s case must fail'),
        (err: { stderr: string }) => err,
      );
      assert.match(elsewhere.stderr, /no case #\d+ in server g1/);
      const stored = (await opened.store.getCase(caseNumber))!;
      assert.equal(stored.notes.length, 1);
    } finally {
      await opened.close();
    }
  });
});
