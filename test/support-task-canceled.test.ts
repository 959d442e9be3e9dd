import assert from 'node:assert/strict';
import { type Client } from '@temporalio/client';
import { supportWorkflowId, type StartSupportInput } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserMessage,
} from '../src/temporal/support-client';
import { FakeSupportWorld } from './fakes/support-activities';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

/*
 * Reconciliation passes the handoff, so Flex ending it while the conversation stays open (task canceled, channel
 * closed or failed) closes the support conversation; a live task and channel change nothing.
 */
describe('support conversation: Flex ends the handoff but not the conversation', function () {
  this.timeout(60_000);
  let client: Client;
  before(() => {
    client = testEnv().client;
  });

  const idOf = (input: StartSupportInput) => supportWorkflowId(input.user.guildId, input.user.userId);

  async function waiting(world: FakeSupportWorld, taskQueue: string, input: StartSupportInput) {
    await openSupportConversation(client, { taskQueue, input });
    await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
    await eventually(async () => {
      assert.equal((await getConversationState(client, idOf(input))).phase, 'waiting_for_agent');
      assert.equal(world.handoffs.length, 1);
    });
  }

  async function closedAs(world: FakeSupportWorld, input: StartSupportInput, reason: string) {
    await eventually(async () => {
      assert.equal((await getConversationState(client, idOf(input))).phase, 'closed');
      assert.equal(world.caseView(1).closeReason, reason);
    }, 15_000);
  }

  it('waits while the task is pending, then closes as task_canceled once Flex cancels it', async () => {
    const world = new FakeSupportWorld();
    world.flexTask = { sid: 'WT1', status: 'pending' };
    const input = newSupportInput({ flexReconcileSeconds: 1 });
    await withWorker(world.activities(), async (taskQueue) => {
      await waiting(world, taskQueue, input);
      await eventually(() => assert.ok(world.flexUpdateCalls.length >= 2), 10_000);
      assert.ok(
        world.flexUpdateCalls.every((c) => c.channelSid === 'UO1'),
        'the handoff is passed',
      );
      assert.equal((await getConversationState(client, idOf(input))).phase, 'waiting_for_agent');

      world.flexTask = { sid: 'WT1', status: 'canceled' };
      await closedAs(world, input, 'task_canceled');
      // The notice goes out after the case is updated.
      await eventually(() =>
        assert.equal(
          world.sent.filter((m) => m.text.startsWith('The support team closed this request.')).length,
          1,
        ),
      );
      assert.deepEqual(world.flexClosed, [
        { conversationSid: world.flexClosed[0]!.conversationSid, interactionSid: 'KD1' },
      ]);
      await recordHistory(client, idOf(input), 'support-flex-task-canceled-v1');
    });
  });

  it('closes as task_canceled when the interaction channel fails', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput({ flexReconcileSeconds: 1 });
    await withWorker(world.activities(), async (taskQueue) => {
      await waiting(world, taskQueue, input);
      world.flexChannelStatus = 'failed';
      await closedAs(world, input, 'task_canceled');
    });
  });

  it('closes as task_completed when the task was completed and that webhook was lost', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput({ flexReconcileSeconds: 1 });
    await withWorker(world.activities(), async (taskQueue) => {
      await waiting(world, taskQueue, input);
      world.flexTask = { sid: 'WT9', status: 'completed' };
      await closedAs(world, input, 'task_completed');
    });
  });
});
