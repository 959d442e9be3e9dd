import assert from 'node:assert/strict';
import { getConversationState, sendUserAction, sendUserMessage } from '../src/temporal/support-client';
import { eventually, userMessage } from './support/conversation-helpers';
import { ALICE, withConversationInFlex } from './support/flex-conversation';
import { recordHistory } from './support/histories';
import { twilioHarnessForEachTest } from './support/twilio-harness';

/*
 * Issue 9 item 1, end to end: a Flex close belongs to one handoff. The agent closes the chat but stays in wrap-up
 * for minutes (TaskRouter: task.wrapup now, task.completed only when they finish); meanwhile the user comes back
 * and a new conversation, with its own case and Flex task, starts. The late task.completed of the old task must not
 * close the new conversation.
 */
const AUTH_TOKEN = 'stale0c0ffee0c0ffee0c0ffee0c0ffe';

describe('Twilio Flex end to end: a close event closes only the handoff it belongs to', function () {
  this.timeout(120_000);
  const twilio = twilioHarnessForEachTest(AUTH_TOKEN);

  it('ignores a late task.completed from the previous handoff once a new conversation has started', async () => {
    const { fake } = twilio;
    const taskOf = (conversationSid: string) => fake.taskFor(conversationSid)!;

    await withConversationInFlex(twilio, { agent: ALICE }, async (conversation) => {
      const { client, taskQueue, input, suffix, workflowId, conversationSid: first } = conversation;
      const { discord, caseUpdates } = conversation.standIns;

      // The agent ends the chat and stays in wrap-up: the first case closes.
      await fake.agentCloses(first, { holdWrapUp: true });
      await eventually(async () => {
        assert.equal((await getConversationState(client, workflowId)).phase, 'closed');
        assert.ok(caseUpdates.some((u) => u.caseNumber === 42 && u.changes.status === 'closed'));
      });

      // The user comes back and asks for a person again: a new case, conversation and task.
      await sendUserMessage(client, { taskQueue, input, event: userMessage('one more question please') });
      await sendUserAction(client, {
        workflowId,
        signal: 'requestHuman',
        event: { eventId: `rh2-${suffix}` },
      });
      const second = await eventually(async () => {
        const state = await getConversationState(client, workflowId);
        assert.equal(state.phase, 'waiting_for_agent');
        assert.equal(state.caseNumber, 43);
        assert.ok(state.twilioConversationSid && state.twilioConversationSid !== first);
        assert.ok(taskOf(state.twilioConversationSid), 'the new conversation has its own task');
        return state.twilioConversationSid;
      });

      // Wrap-up of the first task ends now: TaskRouter's task.completed arrives, late.
      await fake.completeTask(taskOf(first).sid);
      const completed = fake.deliveries.find(
        (d) => d.params.EventType === 'task.completed' && d.params.TaskSid === taskOf(first).sid,
      );
      assert.equal(completed?.outcome, 204, 'the webhook was delivered and signalled');

      // A later user message is handled after that event (one inbox, in order): once it has gone somewhere (to
      // the new Flex conversation, or to the bot if the conversation was closed), the late event was handled too.
      const later = userMessage('are you still there?');
      await sendUserMessage(client, { taskQueue, input, event: later });
      await eventually(() =>
        assert.ok(
          fake.conversation(second).messages.some((m) => m.body === later.text) ||
            discord.some((m) => m.dedupeKey === `bot:${later.eventId}`),
        ),
      );
      const state = await getConversationState(client, workflowId);
      assert.equal(state.phase, 'waiting_for_agent', 'the new conversation is still open');
      assert.ok(
        fake.conversation(second).messages.some((m) => m.body === later.text),
        'relayed to Flex',
      );
      assert.deepEqual(
        caseUpdates.filter((u) => u.caseNumber === 43 && u.changes.status === 'closed'),
        [],
        'the new case is not closed',
      );
      assert.equal(fake.conversation(second).state, 'active', 'the new Flex conversation is not closed');
      assert.equal(
        discord.filter((m) => m.text.startsWith('The agent finished with your case.')).length,
        0,
        'the user is not told their new conversation ended',
      );

      // The user ends it; the history (with the late event in it) must keep replaying.
      await sendUserAction(client, {
        workflowId,
        signal: 'userClose',
        event: { eventId: `close-${suffix}` },
      });
      await sendUserAction(client, {
        workflowId,
        signal: 'rating',
        event: { eventId: `rate-${suffix}`, rating: 4 },
      });
      assert.deepEqual(await client.workflow.getHandle(workflowId).result(), {
        caseNumber: 43,
        closeReason: 'user_closed',
      });
      await recordHistory(client, workflowId, 'support-stale-flex-close-v1');
    });
  });
});
