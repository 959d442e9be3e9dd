import assert from 'node:assert/strict';
import { type Client } from '@temporalio/client';
import { supportWorkflowId, type StartSupportInput, type SupportTimings } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserAction,
  sendUserMessage,
  signalAgentEvent,
} from '../src/temporal/support-client';
import { FakeSupportWorld } from './fakes/support-activities';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

/*
 * Issue 9 item 11 on the real dev server: reconciliation reads Flex less often while it finds nothing the webhooks
 * had not already delivered, and holds off while webhooks arrive, but never waits longer than the maximum. With a
 * one-second interval and a four-second maximum, a fixed-interval schedule reads about once a second.
 */
describe('support conversation: reconciliation adapts to what it finds', function () {
  this.timeout(90_000);
  let client: Client;
  before(() => {
    client = testEnv().client;
  });

  // `flexReconcileMaxSeconds` is the maximum the schedule backs off to.
  const timings = { flexReconcileSeconds: 1, flexReconcileMaxSeconds: 4 } as Partial<SupportTimings>;
  const idOf = (input: StartSupportInput) => supportWorkflowId(input.user.guildId, input.user.userId);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function waiting(world: FakeSupportWorld, taskQueue: string, input: StartSupportInput) {
    await openSupportConversation(client, { taskQueue, input });
    await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
    await eventually(async () => {
      assert.equal((await getConversationState(client, idOf(input))).phase, 'waiting_for_agent');
      assert.ok(world.flexUpdateCalls.length >= 1, 'a first read');
    });
  }

  it('reads a quiet handoff less and less often, up to the maximum', async () => {
    const world = new FakeSupportWorld();
    world.flexTask = { sid: 'WT1', status: 'pending' };
    const input = newSupportInput(timings);
    await withWorker(world.activities(), async (taskQueue) => {
      await waiting(world, taskQueue, input);
      const start = world.flexUpdateCalls.length;
      await sleep(12_000);
      const reads = world.flexUpdateCalls.length - start;
      // Backing off 1, 2, 4, 4 s (±20%): three or four reads in 12 s; every second would be about twelve.
      assert.ok(reads >= 2 && reads <= 6, `${reads} reads in 12 s`);

      // Flex closes; the history, with its adaptive timers, must keep replaying.
      const workflowId = idOf(input);
      world.flexSide.state = 'closed';
      await signalAgentEvent(client, {
        workflowId,
        event: { kind: 'closed', eventId: 'close-1', reason: 'agent_closed' },
      });
      await eventually(() => assert.equal(world.sentOfKind('rating_prompt').length, 1));
      await sendUserAction(client, { workflowId, signal: 'rating', event: { eventId: 'rate-1', rating: 4 } });
      await client.workflow.getHandle(workflowId).result();
      await recordHistory(client, workflowId, 'support-flex-reconcile-adaptive-v1');
    });
  });

  it('holds off while webhooks arrive, but reads at least once per maximum interval', async () => {
    const world = new FakeSupportWorld();
    world.flexTask = { sid: 'WT1', status: 'assigned' };
    const input = newSupportInput(timings);
    await withWorker(world.activities(), async (taskQueue) => {
      await waiting(world, taskQueue, input);
      const workflowId = idOf(input);
      const start = world.flexUpdateCalls.length;
      // An agent writes every 300 ms for 9 s, every message delivered by webhook.
      for (let i = 0; i < 30; i++) {
        await signalAgentEvent(client, {
          workflowId,
          event: {
            kind: 'message',
            eventId: `IM-live-${i}`,
            agentIdentity: 'agent.ana',
            agentName: 'Ana',
            text: `line ${i}`,
            attachments: [],
            sentAt: new Date().toISOString(),
          },
        });
        await sleep(300);
      }
      await eventually(() => assert.equal(world.sentOfKind('agent_message').length, 30));
      const reads = world.flexUpdateCalls.length - start;
      // Held off to the 4 s maximum: two or three reads in 9 s; every second would be about nine.
      assert.ok(reads >= 1 && reads <= 4, `${reads} reads in 9 s of webhooks`);
    });
  });
});
