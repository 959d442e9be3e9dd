import assert from 'node:assert/strict';
import { type createTwilioActivities } from '../src/activities/twilio/activities';
import { getConversationState } from '../src/temporal/support-client';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { eventually } from './support/conversation-helpers';
import { flexActivities } from './support/flex-adapter';
import { withConversationInFlex } from './support/flex-conversation';
import { twilioHarnessForEachTest } from './support/twilio-harness';

/*
 * Issue 4, a Flex task canceled while the conversation stays open (a TaskRouter workflow timeout, a declined
 * invite): the conversation alone says nothing, so reconciliation also reads the handoff's channel and newest task.
 */
const user = { guildId: '290926798626357999', userId: '53908232506183680', userName: 'Mason' };
const workflowId = `support-${user.guildId}-${user.userId}`;

describe('Flex reconciliation reads the handoff: channel status and newest task', () => {
  let fake: FakeTwilio;
  let activities: ReturnType<typeof createTwilioActivities>;

  beforeEach(async () => {
    fake = await new FakeTwilio().start();
    activities = flexActivities(fake);
  });

  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.specViolations, [], 'requests and answers must match Twilio OpenAPI specs');
  });

  async function handedOver() {
    const conversation = await activities.ensureFlexConversation({
      workflowId,
      user,
      channel: { channelId: 'dm-1', kind: 'dm' },
      caseNumber: 3,
    });
    const handoff = await activities.handToFlex({
      conversation,
      workflowId,
      caseNumber: 3,
      taskAttributes: {},
    });
    return { conversation, handoff };
  }

  it('reports the channel and the task as Flex has them; a canceled task leaves the conversation active', async () => {
    const { conversation, handoff } = await handedOver();
    const taskSid = fake.taskFor(conversation.conversationSid)!.sid;
    const waiting = await activities.fetchFlexUpdates({ conversation, handoff });
    assert.equal(waiting.state, 'active');
    assert.equal(waiting.channelStatus, 'active');
    assert.deepEqual(waiting.task, { sid: taskSid, status: 'pending' });

    await fake.cancelTask(conversation.conversationSid, 'Task TTL Exceeded');
    const canceled = await activities.fetchFlexUpdates({ conversation, handoff });
    assert.equal(canceled.state, 'active', 'the conversation itself stays open');
    assert.deepEqual(canceled.task, { sid: taskSid, status: 'canceled' });
  });

  it('reports a closed channel, and without a handoff reads only the conversation', async () => {
    const { conversation, handoff } = await handedOver();
    fake.interactions.get(handoff.interactionSid)!.channel.status = 'closed';
    assert.equal((await activities.fetchFlexUpdates({ conversation, handoff })).channelStatus, 'closed');

    const before = fake.requests.length;
    const plain = await activities.fetchFlexUpdates({ conversation });
    assert.equal(plain.channelStatus, undefined);
    assert.equal(plain.task, undefined);
    assert.deepEqual(
      fake.requests.slice(before).map((r) => r.product),
      ['conversations', 'conversations', 'conversations'],
    );
  });

  it('a channel gone (404) reports no channel status, not an error', async () => {
    const { conversation, handoff } = await handedOver();
    fake.interactions.delete(handoff.interactionSid);
    const updates = await activities.fetchFlexUpdates({ conversation, handoff });
    assert.equal(updates.channelStatus, undefined);
    assert.equal(updates.task?.status, 'pending');
  });
});

const AUTH_TOKEN = 'cancel0c0ffee0c0ffee0c0ffee0c0ff';

describe('Twilio Flex end to end: a task canceled in the queue whose webhook was lost', function () {
  // Generous: on a loaded machine (the full suite on shared cores) the hand-over and the reads take a while.
  this.timeout(120_000);
  const twilio = twilioHarnessForEachTest(AUTH_TOKEN);

  it('closes the case as task_canceled and tells the user, with the conversation still active in Twilio', async () => {
    const { fake } = twilio;
    const timings = { flexReconcileSeconds: 1 };
    await withConversationInFlex(twilio, { timings }, async (conversation) => {
      const { client, workflowId: id, conversationSid } = conversation;
      const { discord, caseChanges } = conversation.standIns;

      // TaskRouter's task.canceled callback is lost; nothing about the conversation changes.
      const deliveriesBefore = fake.deliveries.length;
      fake.dropWebhooks(1);
      await fake.cancelTask(conversationSid, 'Task TTL Exceeded');
      assert.deepEqual(
        fake.deliveries.slice(deliveriesBefore).map((d) => [d.params.EventType, d.outcome]),
        [['task.canceled', 'dropped']],
      );
      assert.equal(fake.conversation(conversationSid).state, 'active');

      await eventually(async () => {
        assert.equal((await getConversationState(client, id)).phase, 'closed');
        assert.ok(
          caseChanges.some((c) => c.status === 'closed' && c.closeReason === 'task_canceled'),
          `case changes: ${JSON.stringify(caseChanges)}; said: ${JSON.stringify(discord.map((m) => m.text))}`,
        );
        // The notice goes out after the case is updated.
        assert.ok(discord.some((m) => m.text.startsWith('The support team closed this request. (case #42)')));
      }, 60_000);
      // The workflow closes what Flex left open.
      assert.equal(fake.conversation(conversationSid).state, 'closed');
    });
  });
});
