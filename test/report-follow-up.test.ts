import assert from 'node:assert/strict';
import { ALL_GUILDS } from '../src/cases/guild-scope';
import { createCaseOperations, CaseOperationError, fileReport } from '../src/cases/report-client';
import type { ReportFollowUp } from '../src/shared/report-types';
import { reportStateQuery } from '../src/shared/report-messages';
import type { reportWorkflow } from '../src/workflows/reports/report-workflow';
import { describeInterval } from '../src/workflows/reports/reminders';
import { waitFor } from '../src/sandbox/discord';
import { eventually } from './support/conversation-helpers';
import { reportActivities, reportInput, tempCaseStore } from './support/case-fixtures';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

/* Follow-up on reports: the reporter hears about triage, staff hear about reports nobody moves. Real timers, short. */
describe('report follow-up', function () {
  this.timeout(60_000);
  let opened: Awaited<ReturnType<typeof tempCaseStore>>;
  beforeEach(async () => {
    opened = await tempCaseStore();
  });
  afterEach(async () => {
    await opened.close();
  });

  const followUp: ReportFollowUp = {
    triageReminderMs: 1200,
    staleReminderMs: 2000,
    staffChannel: 'case-followup',
  };

  it('reminds staff of an untriaged report at each interval, DMs the triage, then reminds of a stale one', async () => {
    const { client } = testEnv();
    const { activities, sent, staffPosts } = reportActivities(opened.store);
    const ops = createCaseOperations({ client, store: opened.store });
    const staff = { actor: 'discord:staff-1', scope: ALL_GUILDS };
    const input = reportInput({ title: 'Inventory resets on login' });
    const titles = () => staffPosts.map((p) => p.embed.title);

    const { workflowId, caseNumber } = await withWorker(activities, async (taskQueue) => {
      const filed = await fileReport(client, { taskQueue, input, followUp });
      const n = filed.caseNumber;
      const handle = client.workflow.getHandle<typeof reportWorkflow>(filed.workflowId);

      await waitFor(() => staffPosts.length >= 2, 15_000, 'two untriage reminders');
      assert.deepEqual(titles().slice(0, 2), [
        `Bug report #${n} has waited ${describeInterval(1200)} for triage`,
        `Bug report #${n} has waited ${describeInterval(2400)} for triage`,
      ]);
      assert.ok(staffPosts.every((p) => p.guildId === input.guildId && p.channelName === 'case-followup'));
      assert.deepEqual(
        staffPosts.slice(0, 2).map((p) => p.embed.footer),
        ['reminder 1', 'reminder 2'],
      );
      assert.match(
        staffPosts[0]!.embed.description!,
        /"Inventory resets on login" from Ada, priority normal/,
      );
      assert.match(staffPosts[0]!.embed.description!, new RegExp(`/case triage ${n}`));
      assert.equal(new Set(staffPosts.map((p) => p.dedupeKey)).size, staffPosts.length);
      // A note does not silence an untriaged report: it still waits for triage.
      await ops.note(n, { note: 'seen it' }, { ...staff, eventId: 'note-before-triage' });
      assert.equal(sent.length, 0, 'nobody told the reporter anything yet');

      const triaged = await ops.triage(n, { note: 'We can reproduce it.', priority: 'high' }, staff);
      assert.deepEqual(triaged, { caseNumber: n, phase: 'triaged' });
      const beforeStale = staffPosts.length;
      await waitFor(() => staffPosts.length > beforeStale, 15_000, 'a stale reminder');
      const stale = staffPosts.slice(beforeStale);
      assert.deepEqual(
        stale.map((p) => [p.embed.title, p.embed.footer]),
        [[`Bug report #${n} has had no staff action for ${describeInterval(2000)}`, 'reminder 1']],
      );
      assert.match(stale[0]!.embed.description!, /priority high, unassigned/);

      // Any staff action on a triaged report restarts its clock: the next reminder is a first one again.
      await ops.assign(n, { agent: 'grace' }, { ...staff, eventId: 'assign-1' });
      const beforeAssign = staffPosts.length;
      await waitFor(() => staffPosts.length > beforeAssign, 15_000, 'a stale reminder after the assignment');
      assert.equal(staffPosts[beforeAssign]!.embed.footer, 'reminder 1');
      assert.match(staffPosts[beforeAssign]!.embed.description!, /assigned to grace/);

      await assert.rejects(
        ops.triage(n, {}, staff),
        (err: Error) => err instanceof CaseOperationError && err.code === 'conflict',
      );
      await ops.close(n, { reason: 'Fixed in 2.4.' }, { ...staff, eventId: 'close-1' });
      assert.equal((await handle.result()).phase, 'resolved');
      assert.equal((await handle.query(reportStateQuery)).phase, 'resolved');
      return { workflowId: filed.workflowId, caseNumber: n };
    });
    await recordHistory(client, workflowId, 'report-follow-up-v1');

    // Untriaged reminders stopped at triage: none comes after the first stale one.
    const firstStale = titles().findIndex((t) => /no staff action/.test(t));
    assert.ok(firstStale >= 2);
    assert.ok(
      titles()
        .slice(0, firstStale)
        .every((t) => /for triage$/.test(t)),
    );
    assert.ok(
      titles()
        .slice(firstStale)
        .every((t) => /no staff action/.test(t)),
    );
    assert.equal(sent.length, 2, 'one DM for the triage, one for the resolution');
    assert.equal(
      sent[0]!.text,
      `Your bug report #${caseNumber} "Inventory resets on login" has been triaged: the team is looking into it. ` +
        `You will hear from us here when there is news.\n\nWe can reproduce it.`,
    );
    assert.match(sent[1]!.text, /has been resolved/);
    const stored = (await opened.store.getCase(caseNumber))!;
    assert.equal(stored.priority, 'high');
    assert.deepEqual(stored.events.map((e) => e.action).slice(0, 4), [
      'opened',
      'note',
      'triaged',
      'reporter_notified',
    ]);
  });

  it('keeps the report going when the staff channel does not exist, and files without follow-up as before', async () => {
    const { client } = testEnv();
    const { activities, staffPosts, sent } = reportActivities(opened.store, {
      staffChannels: new Set(),
      closedDms: new Set(['200000000000000001']),
    });
    const ops = createCaseOperations({ client, store: opened.store });
    await withWorker(activities, async (taskQueue) => {
      const withFollowUp = await fileReport(client, {
        taskQueue,
        input: reportInput(),
        followUp: { ...followUp, triageReminderMs: 300 },
      });
      const without = await fileReport(client, { taskQueue, input: reportInput() });
      // Several reminder intervals pass with nowhere to post them.
      await new Promise((r) => setTimeout(r, 1500));
      const triaged = await ops.triage(
        withFollowUp.caseNumber,
        {},
        { actor: 'api:token', scope: ALL_GUILDS },
      );
      // Answered once stored; the DM is tried afterwards and its outcome recorded on the case (below).
      assert.deepEqual(triaged, { caseNumber: withFollowUp.caseNumber, phase: 'triaged' });
      const plain = await ops.triage(without.caseNumber, {}, { actor: 'api:token', scope: ALL_GUILDS });
      assert.equal(plain.phase, 'triaged');
      const history = await client.workflow.getHandle(without.workflowId).fetchHistory();
      const timers = (history.events ?? []).filter((e) => e.timerStartedEventAttributes);
      assert.equal(timers.length, 0, 'a report filed without follow-up sets no timers');
      await eventually(async () =>
        assert.ok(
          (await opened.store.getCase(withFollowUp.caseNumber))!.events.some(
            (e) => e.action === 'reporter_unreachable',
          ),
          'the unreachable reporter is on record',
        ),
      );
    });
    assert.equal(staffPosts.length, 0);
    assert.equal(sent.length, 0, 'the reporter has DMs closed');
    const events = (await opened.store.getCase(1001))!.events.map((e) => e.action);
    assert.deepEqual(events, ['opened', 'triaged', 'reporter_unreachable']);
  });

  it('words intervals in the largest whole unit', () => {
    assert.equal(describeInterval(48 * 3600_000), '2 days');
    assert.equal(describeInterval(36 * 3600_000), '36 hours');
    assert.equal(describeInterval(7 * 24 * 3600_000), '7 days');
    assert.equal(describeInterval(90_000), '90 seconds');
    assert.equal(describeInterval(60_000), '1 minute');
  });
});
