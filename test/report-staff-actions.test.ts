import assert from 'node:assert/strict';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { createCaseActivities } from '../src/activities/cases/activities';
import { createDiscordActivities } from '../src/activities/discord/activities';
import { createDiscordRest, DiscordRestPort } from '../src/activities/discord/discord-rest-port';
import { ALL_GUILDS } from '../src/cases/guild-scope';
import { createCaseOperations, fileReport } from '../src/cases/report-client';
import { duplicateLinkedSignal, fileReportUpdate, reportStateQuery } from '../src/shared/report-messages';
import { reportWorkflowId } from '../src/shared/report-types';
import { reportWorkflow } from '../src/workflows/reports/report-workflow';
import { FakeDiscord } from '../src/sandbox/discord';
import { reportInput, tempCaseStore } from './support/case-fixtures';
import { eventually } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

/** Temporal warns about a run's history at 10,240 events (and refuses it at 51,200). */
const HISTORY_WARNING_EVENTS = 10_240;

/** Rejects when `promise` takes longer than `ms`: staff must get an answer within a few seconds. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Every run of a workflow (it continues as new), with its number of history events. */
async function runLengths(client: Client, workflowId: string): Promise<number[]> {
  const lengths: number[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    lengths.push(history.events?.length ?? 0);
  }
  return lengths;
}

/*
 * Staff change a report through /case, the API or the CLI, all by `createCaseOperations` → a workflow update. The
 * change is written and confirmed first; the reporter's DM follows on its own. The report workflow on the dev
 * server, with the real case store and the real Discord adapter (@discordjs/rest) against the Discord fake.
 */
describe('report staff actions never hang on Discord', function () {
  this.timeout(240_000);
  let discord: FakeDiscord;
  let opened: Awaited<ReturnType<typeof tempCaseStore>>;
  let activities: object;

  beforeEach(async () => {
    discord = await new FakeDiscord({ rateLimits: [] }).start();
    opened = await tempCaseStore();
    const port = new DiscordRestPort(createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl }));
    activities = { ...createCaseActivities({ caseStore: opened.store }), ...createDiscordActivities(port) };
  });

  afterEach(async () => {
    assert.deepEqual(discord.checker.violations, []);
    assert.deepEqual(discord.unhandled, []);
    await discord.stop();
    await opened.close();
  });

  it('answers triage and close within seconds while Discord is down; the reporter’s DMs follow once it is back', async () => {
    const { client } = testEnv();
    const ops = createCaseOperations({ client, store: opened.store });
    const ada = discord.addUser('ada');
    const staff = { actor: 'discord:staff-1', scope: ALL_GUILDS };
    await withWorker(activities, async (taskQueue) => {
      const filed = await fileReport(client, {
        taskQueue,
        input: reportInput({ reporter: { discordId: ada.id, name: 'Ada' } }),
      });
      discord.outage = true;
      const triaged = await within(
        5000,
        ops.triage(filed.caseNumber, { note: 'reproduced' }, { ...staff, eventId: 'triage-1' }),
        'triage',
      );
      assert.equal(triaged.phase, 'triaged');
      assert.equal((await opened.store.getCase(filed.caseNumber))!.status, 'in_progress');
      const closed = await within(
        5000,
        ops.close(filed.caseNumber, { reason: 'Fixed in 2.3' }, { ...staff, eventId: 'close-1' }),
        'close',
      );
      assert.equal(closed.phase, 'resolved');
      assert.equal((await opened.store.getCase(filed.caseNumber))!.status, 'resolved');

      discord.outage = false;
      const dm = () => discord.messagesIn(discord.dmChannelFor(ada.id).id).map((m) => m.content);
      await eventually(() => assert.equal(dm().length, 2), 60_000);
      assert.match(dm()[0]!, /has been triaged/);
      assert.match(dm()[1]!, /has been resolved\.\n\nFixed in 2\.3/);
      await client.workflow.getHandle(filed.workflowId).result();
      const events = (await opened.store.getCase(filed.caseNumber))!.events.map((e) => e.action);
      assert.deepEqual(
        events.filter((a) => a.startsWith('reporter_')),
        ['reporter_notified', 'reporter_notified'],
      );
      await recordHistory(client, filed.workflowId, 'report-dm-after-answer-v1');
    });
  });

  it('closes a report with 1,000 duplicates at once and DMs every reporter once, within history limits', async () => {
    const { client } = testEnv();
    const ops = createCaseOperations({ client, store: opened.store });
    const reporters = Array.from({ length: 1000 }, (_, i) => discord.addUser(`dup-${i}`).id);
    await withWorker(activities, async (taskQueue) => {
      // Filed as `fileReport` files it, with a small event budget per run so the test sees several runs.
      const report = reportInput();
      const filed = await client.workflow.executeUpdateWithStart(fileReportUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation(reportWorkflow, {
          workflowId: reportWorkflowId(report.idempotencyKey),
          taskQueue,
          args: [{ report, continueAsNewAfterEvents: 500 }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      const handle = client.workflow.getHandle<typeof reportWorkflow>(
        reportWorkflowId(report.idempotencyKey),
      );
      const guildId = report.guildId;
      // What 1,000 duplicate reports' workflows send the original when staff link them.
      // Fifty at a time: the order of links does not matter, and one by one they take most of a minute.
      for (let start = 0; start < reporters.length; start += 50) {
        await Promise.all(
          reporters.slice(start, start + 50).map((reporterId, j) =>
            handle.signal(duplicateLinkedSignal, {
              eventId: `link-${start + j}`,
              caseNumber: 5000 + start + j,
              reporterId,
              guildId,
            }),
          ),
        );
      }
      await eventually(async () =>
        assert.equal((await handle.query(reportStateQuery)).duplicates.length, 1000),
      );

      const closed = await within(
        5000,
        ops.close(
          filed.caseNumber,
          { reason: 'Fixed.' },
          { actor: 'api', eventId: 'close-1', scope: ALL_GUILDS },
        ),
        'close',
      );
      assert.equal(closed.phase, 'resolved');

      const told = () =>
        reporters.filter((id) =>
          discord.messagesIn(discord.dmChannelFor(id).id).some((m) => /has been resolved/.test(m.content)),
        ).length;
      await eventually(() => assert.equal(told(), 1000), 180_000);
      await handle.result();
      for (const id of reporters) assert.equal(discord.messagesIn(discord.dmChannelFor(id).id).length, 1);
      const lengths = await runLengths(client, handle.workflowId);
      assert.ok(lengths.length > 1, 'the report continued as new, carrying what was left to send');
      assert.ok(
        lengths.every((n) => n < HISTORY_WARNING_EVENTS),
        `every run stays under ${HISTORY_WARNING_EVENTS} events: ${lengths.join(', ')}`,
      );
    });
  });
});
