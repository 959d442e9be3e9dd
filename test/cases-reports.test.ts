import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { ALL_GUILDS } from '../src/cases/guild-scope';
import { createCaseOperations, CaseOperationError, fileReport } from '../src/cases/report-client';
import { CaseStatusKey } from '../src/shared/search-attributes';
import { reportStateQuery, triageUpdate } from '../src/shared/report-messages';
import type { reportWorkflow } from '../src/workflows/reports/report-workflow';
import { reportActivities, reportInput, tempCaseStore } from './support/case-fixtures';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

describe('bug and feature report workflows', function () {
  this.timeout(60_000);
  let opened: Awaited<ReturnType<typeof tempCaseStore>>;
  beforeEach(async () => {
    opened = await tempCaseStore();
  });
  afterEach(async () => {
    await opened.close();
  });

  it('files a report once per interaction, even when the bot retries', async () => {
    const { client } = testEnv();
    const { activities } = reportActivities(opened.store);
    const input = reportInput({ type: 'feature', title: 'Dark mode' });
    const [first, again] = await withWorker(activities, async (taskQueue) => {
      const first = await fileReport(client, { taskQueue, input });
      const again = await fileReport(client, { taskQueue, input });
      return [first, again];
    });
    assert.equal(first.caseNumber, 1001);
    assert.deepEqual(again, first);
    const stored = await opened.store.getCase(first.caseNumber);
    assert.equal(stored?.type, 'feature');
    assert.equal(stored?.status, 'open');
    assert.equal(stored?.workflowId, first.workflowId);
    assert.deepEqual(stored?.fields, input.fields);
    assert.equal((await opened.store.listCases({})).length, 1);
  });

  it('refuses a malformed report before anything starts', async () => {
    const { client } = testEnv();
    const bad = reportInput({ title: '', reporter: { discordId: 'not-an-id', name: 'X' } });
    await assert.rejects(fileReport(client, { taskQueue: 'unused', input: bad }), (err: Error) => {
      assert.match(err.message, /title/);
      assert.match(err.message, /discordId/);
      return true;
    });
    await assert.rejects(client.workflow.getHandle(`report-${bad.idempotencyKey}`).describe(), /not found/i);
  });

  it('goes open → triaged → resolved on staff actions and DMs the reporter the resolution note', async () => {
    const { client } = testEnv();
    const { activities, sent } = reportActivities(opened.store);
    const ops = createCaseOperations({ client, store: opened.store });
    const staff = { actor: 'discord:staff-1', scope: ALL_GUILDS };
    const { caseNumber, workflowId } = await withWorker(activities, async (taskQueue) => {
      const filed = await fileReport(client, { taskQueue, input: reportInput() });
      const handle = client.workflow.getHandle<typeof reportWorkflow>(filed.workflowId);
      const triaged = await handle.executeUpdate(triageUpdate, {
        args: [{ eventId: 'i-triage', actor: 'discord:staff-1', priority: 'high', note: 'reproduced' }],
      });
      // Answered once stored; the reporter's DM follows on its own (recorded on the case below).
      assert.deepEqual(triaged, { caseNumber: filed.caseNumber, phase: 'triaged' });
      // Triaging twice is not a valid transition; the same action retried is simply answered again.
      await assert.rejects(
        handle.executeUpdate(triageUpdate, { args: [{ eventId: 'i-triage-2', actor: 'x' }] }),
        (err: Error) => err.cause instanceof ApplicationFailure && err.cause.type === 'InvalidTransition',
      );
      assert.deepEqual(
        await handle.executeUpdate(triageUpdate, {
          args: [{ eventId: 'i-triage', actor: 'discord:staff-1' }],
        }),
        triaged,
      );
      await ops.assign(filed.caseNumber, { agent: 'grace' }, { ...staff, eventId: 'i-assign' });
      await ops.note(filed.caseNumber, { note: 'fix in 2.3' }, { ...staff, eventId: 'i-note' });
      assert.equal((await handle.query(reportStateQuery)).assignedAgent, 'grace');
      const closed = await ops.close(
        filed.caseNumber,
        { reason: 'Fixed in version 2.3, thanks!' },
        { ...staff, eventId: 'i-close' },
      );
      assert.deepEqual(closed, { caseNumber: filed.caseNumber, phase: 'resolved' });
      assert.deepEqual(await handle.result(), { caseNumber: filed.caseNumber, phase: 'resolved' });
      const described = await handle.describe();
      assert.deepEqual(described.typedSearchAttributes.get(CaseStatusKey), 'resolved');
      // The workflow has ended: closing again is a conflict, a note still lands in the store.
      await assert.rejects(
        ops.close(filed.caseNumber, { reason: 'again' }, staff),
        (err: Error) => err instanceof CaseOperationError && err.code === 'conflict',
      );
      await ops.note(filed.caseNumber, { note: 'released' }, { ...staff, eventId: 'i-late-note' });
      return filed;
    });
    // v1 (no DM on triage) stays as recorded before; v2 has the triage DM.
    await recordHistory(client, workflowId, 'report-lifecycle-v2');

    assert.equal(sent.length, 2);
    assert.ok(sent.every((dm) => dm.userId === '200000000000000001'));
    assert.match(
      sent[0]!.text,
      new RegExp(`bug report #${caseNumber} .* has been triaged: the team is looking`),
    );
    assert.match(sent[0]!.text, /\n\nreproduced$/);
    assert.match(sent[1]!.text, new RegExp(`bug report #${caseNumber} .* has been resolved`));
    assert.match(sent[1]!.text, /Fixed in version 2\.3, thanks!/);
    const stored = (await opened.store.getCase(caseNumber))!;
    assert.equal(stored.status, 'resolved');
    assert.equal(stored.priority, 'high');
    assert.equal(stored.assignedAgent, 'grace');
    assert.equal(stored.closeReason, 'resolved');
    // The DMs are sent beside the staff actions, so their records may land between later actions.
    const staffEvents = stored.events.filter((e) => !e.action.startsWith('reporter_'));
    assert.deepEqual(
      staffEvents.map((e) => [e.action, e.actor]),
      [
        ['opened', 'discord:200000000000000001'],
        ['triaged', 'discord:staff-1'],
        ['assigned', 'discord:staff-1'],
        ['note', 'discord:staff-1'],
        ['resolved', 'discord:staff-1'],
        ['note', 'discord:staff-1'],
      ],
    );
    assert.deepEqual(
      stored.events.filter((e) => e.action.startsWith('reporter_')).map((e) => [e.action, e.actor]),
      [
        ['reporter_notified', 'flexcord'],
        ['reporter_notified', 'flexcord'],
      ],
    );
  });

  it('links a duplicate, tells its reporter, and tells both reporters when the original is resolved', async () => {
    const { client } = testEnv();
    const { activities, sent } = reportActivities(opened.store);
    const ops = createCaseOperations({ client, store: opened.store });
    const [original, duplicate] = await withWorker(activities, async (taskQueue) => {
      const original = await fileReport(client, { taskQueue, input: reportInput() });
      const duplicate = await fileReport(client, {
        taskQueue,
        input: reportInput({
          reporter: { discordId: '200000000000000002', name: 'Bo' },
          title: 'Cannot check out',
        }),
      });
      const linked = await ops.linkDuplicate(
        duplicate.caseNumber,
        { originalCaseNumber: original.caseNumber },
        { actor: 'api', eventId: 'link-1', scope: ALL_GUILDS },
      );
      assert.deepEqual(linked, { caseNumber: duplicate.caseNumber, phase: 'declined' });
      assert.deepEqual(await client.workflow.getHandle(duplicate.workflowId).result(), {
        caseNumber: duplicate.caseNumber,
        phase: 'declined',
        duplicateOf: original.caseNumber,
      });
      const originalHandle = client.workflow.getHandle<typeof reportWorkflow>(original.workflowId);
      await waitFor(async () => (await originalHandle.query(reportStateQuery)).duplicates.length === 1);
      await ops.close(
        original.caseNumber,
        { reason: 'Fixed.' },
        { actor: 'api', eventId: 'close-1', scope: ALL_GUILDS },
      );
      await originalHandle.result();
      return [original, duplicate];
    });
    await recordHistory(client, original.workflowId, 'report-duplicate-original-v1');
    await recordHistory(client, duplicate.workflowId, 'report-duplicate-v1');
    // v2: the link names the original's server and the link signal the duplicate's (guild boundaries).
    await recordHistory(client, original.workflowId, 'report-duplicate-original-v2');
    await recordHistory(client, duplicate.workflowId, 'report-duplicate-v2');
    // v3: the DMs go out after each staff action is answered, the duplicates' in batches.
    await recordHistory(client, original.workflowId, 'report-duplicate-original-v3');
    await recordHistory(client, duplicate.workflowId, 'report-duplicate-v3');

    assert.deepEqual(
      sent.map((s) => s.userId),
      ['200000000000000002', '200000000000000001', '200000000000000002'],
    );
    assert.match(sent[0]!.text, new RegExp(`same thing as #${original.caseNumber}`));
    assert.match(
      sent[2]!.text,
      new RegExp(`#${original.caseNumber} .*reported as #${duplicate.caseNumber}, has been resolved`),
    );
    const dup = (await opened.store.getCase(duplicate.caseNumber))!;
    assert.equal(dup.status, 'closed');
    assert.equal(dup.closeReason, `duplicate_of:${original.caseNumber}`);
    assert.deepEqual(dup.links, [{ kind: 'duplicate_of', caseNumber: original.caseNumber, direction: 'to' }]);
    assert.deepEqual((await opened.store.getCase(original.caseNumber))!.links, [
      { kind: 'duplicate_of', caseNumber: duplicate.caseNumber, direction: 'from' },
    ]);
  });

  it('declines a report, and records when the reporter cannot be reached by DM', async () => {
    const { client } = testEnv();
    const { activities, attempts } = reportActivities(opened.store, {
      closedDms: new Set(['200000000000000001']),
    });
    const ops = createCaseOperations({ client, store: opened.store });
    const result = await withWorker(activities, async (taskQueue) => {
      const filed = await fileReport(client, { taskQueue, input: reportInput({ type: 'feature' }) });
      const closed = await ops.close(
        filed.caseNumber,
        { reason: 'Out of scope for now.', resolution: 'declined' },
        { actor: 'api', eventId: 'decline-1', scope: ALL_GUILDS },
      );
      // The workflow ends once its DMs are sent (or given up).
      await client.workflow.getHandle(filed.workflowId).result();
      return closed;
    });
    assert.equal(result.phase, 'declined');
    assert.equal(result.reporterNotified, undefined, 'answered before the DM was tried');
    assert.match(attempts[0]!.text, /feature request #\d+ .* was declined\.\n\nOut of scope for now\./);
    const stored = (await opened.store.getCase(result.caseNumber))!;
    assert.equal(stored.status, 'closed');
    assert.equal(stored.events.at(-1)!.action, 'reporter_unreachable');
  });

  it('applies each staff action once when activities fail after writing and are retried', async () => {
    const { client } = testEnv();
    const { activities, sent, attempts } = reportActivities(opened.store);
    // Each write succeeds, then the first attempt "loses" its response: the worker sees an error and retries.
    const failedOnce = new Set<string>();
    const flaky =
      <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const result = await fn(...args);
        const key = `${name}:${JSON.stringify(args)}`;
        if (!failedOnce.has(key)) {
          failedOnce.add(key);
          throw new Error(`${name}: connection reset after write`);
        }
        return result;
      };
    const retrying = {
      ...activities,
      openCase: flaky('openCase', activities.openCase),
      updateCase: flaky('updateCase', activities.updateCase),
      linkCases: flaky('linkCases', activities.linkCases),
      sendDirectMessage: flaky('sendDirectMessage', activities.sendDirectMessage),
    };
    const ops = createCaseOperations({ client, store: opened.store });
    const caseNumber = await withWorker(retrying, async (taskQueue) => {
      const filed = await fileReport(client, { taskQueue, input: reportInput() });
      await ops.note(
        filed.caseNumber,
        { note: 'looking' },
        { actor: 'api', eventId: 'n1', scope: ALL_GUILDS },
      );
      // The API request itself is retried by the caller with the same Idempotency-Key.
      await ops.note(
        filed.caseNumber,
        { note: 'looking' },
        { actor: 'api', eventId: 'n1', scope: ALL_GUILDS },
      );
      await ops.close(
        filed.caseNumber,
        { reason: 'done' },
        { actor: 'api', eventId: 'c1', scope: ALL_GUILDS },
      );
      await client.workflow.getHandle(filed.workflowId).result();
      return filed.caseNumber;
    });
    assert.equal(caseNumber, 1001);
    assert.equal((await opened.store.listCases({})).length, 1, 'a retried openCase opened no second case');
    assert.equal(attempts.length, 2, 'the DM activity was retried');
    assert.equal(sent.length, 1, 'the retry reused the dedupe key');
    const stored = (await opened.store.getCase(caseNumber))!;
    assert.deepEqual(
      stored.events.map((e) => e.action),
      ['opened', 'note', 'resolved', 'reporter_notified'],
    );
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
