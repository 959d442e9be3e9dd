import assert from 'node:assert/strict';
import { type Client } from '@temporalio/client';
import { type temporal } from '@temporalio/proto';
import { supportWorkflowId, type StartSupportInput } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserMessage,
  signalAgentEvent,
} from '../src/temporal/support-client';
import { FakeSupportWorld } from './fakes/support-activities';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

/*
 * What one relayed message costs in Temporal's history, which is what the worker and the server spend their CPU
 * on (docs/PERFORMANCE.md, Relay): the messages still go out in order with their transcript lines, with fewer
 * activities, workflow tasks and timers per message.
 */
describe('support relay cost per message', function () {
  this.timeout(90_000);
  let client: Client;
  before(() => {
    client = testEnv().client;
  });

  const idOf = (input: StartSupportInput) => supportWorkflowId(input.user.guildId, input.user.userId);
  type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

  /** A conversation with an agent, then `count` messages each way, one after the other; returns the history. */
  async function relayBothWays(
    world: FakeSupportWorld,
    taskQueue: string,
    input: StartSupportInput,
    count: number,
  ) {
    const workflowId = idOf(input);
    await openSupportConversation(client, { taskQueue, input });
    await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
    await eventually(() => assert.equal(world.handoffs.length, 1));
    await signalAgentEvent(client, {
      workflowId,
      event: { kind: 'joined', eventId: 'MB-join-cost', agentIdentity: 'agent.ana', agentName: 'Ana' },
    });
    await eventually(async () =>
      assert.equal((await getConversationState(client, workflowId)).phase, 'with_agent'),
    );
    const caseNumber = (await getConversationState(client, workflowId)).caseNumber!;
    // The join is done once its transcript line is written: what follows is the relay alone.
    await eventually(() =>
      assert.ok(
        world.cases.get(caseNumber)!.transcript.some((e) => e.entryId === 'agent-joined:MB-join-cost'),
      ),
    );
    const joinedAt = (await client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;
    const userIds: string[] = [];
    for (let i = 1; i <= count; i++) {
      const fromUser = userMessage(`user line ${i}`);
      userIds.push(fromUser.eventId);
      await sendUserMessage(client, { taskQueue, input, event: fromUser });
      await eventually(() => assert.equal(world.flexMessages.length, i));
      await signalAgentEvent(client, {
        workflowId,
        event: {
          kind: 'message',
          eventId: `IM-cost-${i}`,
          agentIdentity: 'agent.ana',
          agentName: 'Ana',
          text: `agent line ${i}`,
          attachments: [],
          sentAt: new Date().toISOString(),
        },
      });
      await eventually(() => assert.equal(world.sentOfKind('agent_message').length, i));
    }
    // The transcript line of the last agent message is written after its post: wait for it.
    await eventually(() =>
      assert.ok(world.cases.get(caseNumber)!.transcript.some((e) => e.entryId === `IM-cost-${count}`)),
    );
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    return { workflowId, caseNumber, userIds, relayEvents: events.slice(joinedAt) };
  }

  const scheduled = (events: HistoryEvent[], activity: string) =>
    events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity).length;

  it('writes each relayed message to the transcript inside the workflow task that relays it, in order', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput();
    await withWorker(world.activities(), async (taskQueue) => {
      const count = 3;
      const { workflowId, caseNumber, userIds, relayEvents } = await relayBothWays(
        world,
        taskQueue,
        input,
        count,
      );

      assert.deepEqual(
        world.flexMessages.map((m) => m.text),
        [1, 2, 3].map((i) => `user line ${i}`),
      );
      assert.deepEqual(
        world.sentOfKind('agent_message').map((m) => m.text),
        [1, 2, 3].map((i) => `agent line ${i}`),
      );
      const lines = world.cases.get(caseNumber)!.transcript.map((e) => e.entryId);
      const relayed = [1, 2, 3].flatMap((i) => [userIds[i - 1]!, `IM-cost-${i}`]);
      assert.deepEqual(
        lines.filter((id) => relayed.includes(id)),
        relayed,
        'every message has its transcript line, in the order relayed',
      );

      // One activity per message (the relay itself); the transcript lines are local activities' markers.
      assert.equal(scheduled(relayEvents, 'appendTranscript'), 0);
      assert.equal(scheduled(relayEvents, 'postCustomerMessage'), count);
      assert.equal(scheduled(relayEvents, 'sendToDiscord'), count);
      const localMarkers = relayEvents.filter(
        (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
      );
      assert.equal(localMarkers.length, 2 * count);
      await recordHistory(client, workflowId, 'support-transcript-local-v1');
    });
  });

  it('keeps its timer while messages only move the deadlines later', async () => {
    const world = new FakeSupportWorld();
    // The deadlines (reminder, close) are minutes away: each message moves them later. Reconciliation reads on a
    // fixed quarter-hour here: its adaptive schedule may rightly bring its next read earlier while messages arrive
    // (CI saw a 65 s read replace the timer once), and that replacement is not what this test is about.
    const input = newSupportInput({
      inactivityReminderSeconds: 300,
      inactivitySeconds: 600,
      flexReconcileSeconds: 900,
      flexReconcileMaxSeconds: 900,
    });
    await withWorker(world.activities(), async (taskQueue) => {
      const count = 4;
      const { workflowId, relayEvents } = await relayBothWays(world, taskQueue, input, count);
      const timers = relayEvents.filter((e) => e.timerStartedEventAttributes).length;
      const cancelled = relayEvents.filter((e) => e.timerCanceledEventAttributes).length;
      assert.equal(timers, 0, `${timers} timers started for ${2 * count} messages`);
      assert.equal(cancelled, 0, `${cancelled} timers cancelled for ${2 * count} messages`);
      await recordHistory(client, workflowId, 'support-kept-loop-timer-v1');
    });
  });

  it('replaces its timer when a deadline comes earlier: a short rating window after a close', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput({ ratingWindowSeconds: 2 });
    await withWorker(world.activities(), async (taskQueue) => {
      const workflowId = idOf(input);
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
      await eventually(() => assert.equal(world.handoffs.length, 1));
      const closedAt = Date.now();
      await signalAgentEvent(client, {
        workflowId,
        event: { kind: 'closed', eventId: 'EV-cost-close', reason: 'agent_closed' },
      });
      // The hour-long deadlines' timer gives way to the rating window's: the run ends when the window does.
      await client.workflow.getHandle(workflowId).result();
      const elapsed = Date.now() - closedAt;
      assert.ok(elapsed >= 1500 && elapsed < 15_000, `ended ${elapsed} ms after the close`);
    });
  });
});
