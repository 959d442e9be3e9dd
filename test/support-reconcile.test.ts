import assert from 'node:assert/strict';
import { type Client } from '@temporalio/client';
import type { FlexAgentMessage } from '../src/activities/twilio/port';
import { supportWorkflowId, type StartSupportInput } from '../src/shared/support-types';
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
 * Reconciliation: while Flex has the conversation, the workflow reads the Conversations API every
 * `flexReconcileSeconds` (one second here) and feeds what it finds through the same handlers as the webhooks'
 * signals. The fake Flex side (`world.flexSide`) holds what Twilio would list; no webhook signal is sent for
 * what a test calls "missed".
 */
describe('support conversation: reconciliation with Flex when webhooks are lost', function () {
  this.timeout(60_000);
  let client: Client;
  before(() => {
    client = testEnv().client;
  });

  const idOf = (input: StartSupportInput) => supportWorkflowId(input.user.guildId, input.user.userId);
  const ana = { identity: 'agent.ana', name: 'Ana', participantSid: 'MB-ana' };

  function flexMessage(index: number, text: string): FlexAgentMessage {
    return {
      eventId: `IM-${index}`,
      index,
      agentIdentity: ana.identity,
      agentName: ana.name,
      text,
      attachments: [],
      sentAt: new Date().toISOString(),
    };
  }

  async function toWaitingForAgent(world: FakeSupportWorld, taskQueue: string, input: StartSupportInput) {
    await openSupportConversation(client, { taskQueue, input });
    await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
    await eventually(async () => {
      assert.equal((await getConversationState(client, idOf(input))).phase, 'waiting_for_agent');
      assert.equal(world.handoffs.length, 1);
    });
  }

  it('relays agent messages no webhook delivered, in order, once each, with the agent joining first', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput({ flexReconcileSeconds: 1 });
    await withWorker(world.activities(), async (taskQueue) => {
      await toWaitingForAgent(world, taskQueue, input);
      const workflowId = idOf(input);

      // The agent joined and wrote twice while the webhook server was down: only the API knows.
      world.flexSide.agents.push(ana);
      world.flexSide.messages.push(flexMessage(2, 'Hi, I am looking at it'), flexMessage(4, 'Fixed it'));
      await eventually(() => assert.equal(world.sentOfKind('agent_message').length, 2));
      const joinedAt = world.sent.findIndex(
        (m) => m.text === 'Ana from the support team joined the conversation.',
      );
      const firstAt = world.sent.findIndex((m) => m.kind === 'agent_message');
      assert.ok(joinedAt >= 0 && joinedAt < firstAt, 'the join notice comes before the first message');
      assert.deepEqual(
        world.sentOfKind('agent_message').map((m) => [m.dedupeKey, m.text, m.agentName]),
        [
          ['IM-2', 'Hi, I am looking at it', 'Ana'],
          ['IM-4', 'Fixed it', 'Ana'],
        ],
      );
      const state = await getConversationState(client, workflowId);
      assert.equal(state.phase, 'with_agent');
      assert.deepEqual(state.agent, { identity: 'agent.ana', name: 'Ana' });

      // The next reads start after the last index seen.
      await eventually(() => assert.ok(world.flexUpdateCalls.some((c) => c.afterMessageIndex === 4)));

      // A message that arrives both ways (webhook signal, then the API) is relayed once.
      const both = flexMessage(7, 'Anything else?');
      const { index: _index, ...signalled } = both;
      await signalAgentEvent(client, { workflowId, event: { kind: 'message', ...signalled } });
      world.flexSide.messages.push(both);
      const callsBefore = world.flexUpdateCalls.length;
      await eventually(() => assert.ok(world.flexUpdateCalls.some((c) => c.afterMessageIndex === 7)));
      await eventually(() => assert.ok(world.flexUpdateCalls.length >= callsBefore + 2));
      assert.equal(world.sentOfKind('agent_message').length, 3);
      assert.equal(
        world.sent.filter((m) => m.text.includes('joined the conversation')).length,
        1,
        'the agent, listed at every read, joined once',
      );
      const transcript = world.mustCase(1).transcript.filter((e) => e.authorKind === 'agent');
      assert.deepEqual(
        transcript.map((e) => e.text),
        ['Hi, I am looking at it', 'Fixed it', 'Anything else?'],
      );
    });
  });

  it('closes the case when Flex closed the conversation and the close webhook was lost', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput({ flexReconcileSeconds: 1, ratingWindowSeconds: 1 });
    await withWorker(world.activities(), async (taskQueue) => {
      await toWaitingForAgent(world, taskQueue, input);
      const workflowId = idOf(input);
      await signalAgentEvent(client, {
        workflowId,
        event: { kind: 'joined', eventId: ana.participantSid, agentIdentity: ana.identity, agentName: 'Ana' },
      });
      world.flexSide.agents.push(ana);
      world.flexSide.messages.push(flexMessage(3, 'All done, closing now'));
      world.flexSide.state = 'closed';

      await eventually(() => assert.equal(world.sentOfKind('rating_prompt').length, 1));
      assert.deepEqual(
        world.sentOfKind('agent_message').map((m) => m.text),
        ['All done, closing now'],
        'the last message is relayed before the close',
      );
      const lastMessage = world.sent.findIndex((m) => m.kind === 'agent_message');
      const closed = world.sent.findIndex((m) => m.text.includes('/helpme'));
      assert.ok(lastMessage < closed);
      assert.equal(world.caseView(1).status, 'closed');
      assert.equal(world.caseView(1).closeReason, 'agent_closed');
      assert.equal(world.flexClosed.length, 1);
      assert.equal((await getConversationState(client, workflowId)).phase, 'closed');

      const calls = world.flexUpdateCalls.length;
      await sendUserAction(client, { workflowId, signal: 'rating', event: { eventId: 'rate-1', rating: 5 } });
      const outcome = await client.workflow.getHandle(workflowId).result();
      assert.deepEqual(outcome, { caseNumber: 1, closeReason: 'agent_closed' });
      assert.equal(world.flexUpdateCalls.length, calls, 'no reads once the conversation is closed');
      await recordHistory(client, workflowId, 'support-flex-reconcile-v1');
    });
  });

  it("keeps the agent's name from TaskRouter when reconciliation finds the participant before its webhook", async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput({ flexReconcileSeconds: 1 });
    await withWorker(world.activities(), async (taskQueue) => {
      await toWaitingForAgent(world, taskQueue, input);
      const workflowId = idOf(input);
      // TaskRouter's reservation.accepted arrives with the full name; the participant webhook never does.
      await signalAgentEvent(client, {
        workflowId,
        event: {
          kind: 'joined',
          eventId: 'EV-accepted',
          agentIdentity: ana.identity,
          agentName: 'Ana Lopez',
        },
      });
      world.flexSide.agents.push(ana);
      world.flexSide.messages.push(flexMessage(2, 'Hello there'));
      await eventually(() => assert.equal(world.sentOfKind('agent_message').length, 1));
      assert.equal(world.sentOfKind('agent_message')[0]!.agentName, 'Ana Lopez');
      assert.deepEqual((await getConversationState(client, workflowId)).agent, {
        identity: ana.identity,
        name: 'Ana Lopez',
      });
    });
  });
});
