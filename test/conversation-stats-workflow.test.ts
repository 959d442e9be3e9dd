import assert from 'node:assert/strict';
import { type Client } from '@temporalio/client';
import { supportWorkflowId } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserAction,
  sendUserMessage,
  signalAgentEvent,
} from '../src/temporal/support-client';
import { FakeSupportWorld, refundSearch } from './fakes/support-activities';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

/*
 * The support workflow records each conversation's milestones for support analytics (`recordConversation`), once
 * each, after the user-facing work they follow, on the real dev server with in-memory activities.
 */
describe('support workflow: conversation milestones for analytics', function () {
  this.timeout(60_000);
  let client: Client;
  before(() => {
    client = testEnv().client;
  });

  it('records start, knowledge-base answer, human request, agent join, first agent reply and close, each once', async () => {
    const world = new FakeSupportWorld({ search: refundSearch });
    const input = newSupportInput();
    const workflowId = supportWorkflowId(input.user.guildId, input.user.userId);
    const before = Date.now();
    await withWorker(world.activities(), async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('How do I get a refund?') });
      await eventually(() => assert.equal(world.sentOfKind('bot_answer').length, 1));
      await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
      const { caseNumber } = await eventually(async () => {
        const state = await getConversationState(client, workflowId);
        assert.equal(state.phase, 'waiting_for_agent');
        assert.equal(world.handoffs.length, 1);
        return state;
      });
      await signalAgentEvent(client, {
        workflowId,
        event: { kind: 'joined', eventId: 'MB-stats-join', agentIdentity: 'agent.ana', agentName: 'Ana' },
      });
      for (const n of [1, 2]) {
        await signalAgentEvent(client, {
          workflowId,
          event: {
            kind: 'message',
            eventId: `IM-stats-${n}`,
            agentIdentity: 'agent.ana',
            agentName: 'Ana',
            text: `reply ${n}`,
            attachments: [],
            sentAt: new Date().toISOString(),
          },
        });
      }
      await eventually(() => assert.equal(world.sentOfKind('agent_message').length, 2));
      await signalAgentEvent(client, {
        workflowId,
        event: { kind: 'closed', eventId: 'EV-stats-close', reason: 'agent_closed' },
      });
      const prompt = await eventually(() => {
        const p = world.sentOfKind('rating_prompt');
        assert.equal(p.length, 1);
        return p[0]!;
      });
      await eventually(() => assert.equal(world.conversationRecordCalls.length, 6));
      await sendUserAction(client, {
        workflowId,
        signal: 'rating',
        event: { eventId: 'rate-stats', rating: 4 },
      });
      await client.workflow.getHandle(workflowId).result();
      assert.ok(prompt, 'the rating prompt');

      const [record, ...others] = world.conversations.values();
      assert.equal(others.length, 0, 'one conversation');
      assert.ok(record!.conversationId.startsWith(`${workflowId}:`));
      assert.equal(record!.workflowId, workflowId);
      assert.equal(record!.guildId, input.user.guildId);
      assert.equal(record!.userId, input.user.userId);
      assert.equal(record!.caseNumber, caseNumber);
      assert.equal(record!.closeReason, 'agent_closed');
      const times = [
        record!.startedAt,
        record!.kbAnsweredAt,
        record!.humanRequestedAt,
        record!.agentJoinedAt,
        record!.firstAgentReplyAt,
        record!.closedAt,
      ];
      assert.ok(
        times.every((t) => typeof t === 'number' && t >= before - 1000 && t <= Date.now()),
        `${times}`,
      );
      assert.deepEqual(
        [...times].sort((a, b) => a! - b!),
        times,
        'in the order they happened',
      );
      assert.deepEqual(
        world.conversationRecordCalls.map((c) =>
          Object.keys(c).filter(
            (k) => !['conversationId', 'workflowId', 'guildId', 'userId', 'startedAt'].includes(k),
          ),
        ),
        [
          [],
          ['kbAnsweredAt'],
          ['humanRequestedAt', 'caseNumber'],
          ['agentJoinedAt'],
          ['firstAgentReplyAt'],
          ['closedAt', 'closeReason'],
        ],
        'one record per milestone: the second agent reply records nothing',
      );
      await recordHistory(client, workflowId, 'support-conversation-stats-v1');
    });
  });

  it('records a conversation the bot answered alone, and a new conversation after /helpme following a close', async () => {
    const world = new FakeSupportWorld({ search: refundSearch });
    const input = newSupportInput();
    const workflowId = supportWorkflowId(input.user.guildId, input.user.userId);
    await withWorker(world.activities(), async (taskQueue) => {
      await sendUserMessage(client, { taskQueue, input, event: userMessage('How do I get a refund?') });
      await eventually(() => assert.equal(world.sentOfKind('bot_answer').length, 1));
      await sendUserAction(client, { workflowId, signal: 'userClose', event: { eventId: 'close-1' } });
      await eventually(() => assert.equal(world.conversations.size, 1));
      await eventually(() => assert.ok([...world.conversations.values()][0]!.closedAt, 'closed'));
      await openSupportConversation(client, { taskQueue, input });
      await eventually(() => assert.equal(world.conversations.size, 2));

      const [first, second] = [...world.conversations.values()];
      assert.ok(first!.kbAnsweredAt, 'answered by the bot');
      assert.equal(first!.humanRequestedAt, undefined);
      assert.equal(first!.closeReason, 'user_closed');
      assert.notEqual(first!.conversationId, second!.conversationId, 'each conversation has its own row');
      assert.equal(second!.kbAnsweredAt, undefined);
      assert.ok(second!.startedAt >= first!.closedAt!);
    });
  });
});
