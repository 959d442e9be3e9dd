import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { type createTwilioActivities } from '../src/activities/twilio/activities';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { getConversationState } from '../src/temporal/support-client';
import { eventually } from './support/conversation-helpers';
import { flexActivities } from './support/flex-adapter';
import { withConversationInFlex } from './support/flex-conversation';
import { twilioHarnessForEachTest } from './support/twilio-harness';

/*
 * Issue 9 item 5: the hand-over to Flex is one Twilio call that creates an interaction (and its task), then a
 * write that remembers it on the conversation. When the create happened but its answer was lost, or the worker died
 * before the write, the retried activity must find that interaction instead of routing a second task to Flex.
 */
const user = { guildId: '290926798626357999', userId: '53908232506183680', userName: 'Mason' };
const workflowId = `support-${user.guildId}-${user.userId}`;
const CREATE = { method: 'POST', path: /^\/v1\/Interactions$/ };

describe('Hand-over to Flex: a retry finds the interaction a lost answer created', () => {
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

  const conversation = () =>
    activities.ensureFlexConversation({
      workflowId,
      user,
      channel: { channelId: 'dm-1', kind: 'dm' },
      caseNumber: 9,
    });
  const handOver = (ref: Awaited<ReturnType<typeof conversation>>) =>
    activities.handToFlex({
      conversation: ref,
      workflowId,
      caseNumber: 9,
      taskAttributes: { summary: 'refund' },
    });

  it('the create was carried out but its answer lost: the retry returns that interaction, one task in Flex', async () => {
    const ref = await conversation();
    fake.fail({ match: CREATE, dropAnswer: true });
    const lost = await handOver(ref).catch((e: unknown) => e);
    assert.ok(
      lost instanceof ApplicationFailure && !lost.nonRetryable,
      `a retryable failure: ${String(lost)}`,
    );
    assert.equal(fake.interactions.size, 1, 'Flex did create the interaction');

    const handoff = await handOver(ref);
    assert.equal(fake.interactions.size, 1, 'no second interaction');
    assert.equal(fake.tasks.size, 1, 'no second task routed to agents');
    const [interaction] = fake.interactions.values();
    assert.deepEqual(handoff, { interactionSid: interaction!.sid, channelSid: interaction!.channel.sid });
    const remembered = JSON.parse(fake.conversation(ref.conversationSid).attributes) as Record<
      string,
      unknown
    >;
    assert.equal(remembered.flexcordInteractionSid, interaction!.sid);
  });

  it('the worker died between the create and the write that remembers it: the retry finds it too', async () => {
    const ref = await conversation();
    // The attribute write fails (in production: the process is gone before it is sent).
    fake.fail({ match: { method: 'POST', path: /^\/v1\/Conversations\/CH[0-9a-f]{32}$/ }, status: 503 });
    await assert.rejects(handOver(ref));
    assert.equal(fake.interactions.size, 1);

    const handoff = await handOver(ref);
    assert.equal(fake.interactions.size, 1, 'no second interaction');
    assert.equal(fake.tasks.size, 1, 'no second task routed to agents');
    assert.equal(handoff.interactionSid, [...fake.interactions.keys()][0]);
  });

  it("a closed earlier handoff of the same conversation is not mistaken for this one's", async () => {
    const ref = await conversation();
    const first = await handOver(ref);
    // Flex ended that handoff (a canceled task closes its channel), and its attributes were never written back.
    fake.interactions.get(first.interactionSid)!.channel.status = 'closed';
    fake.conversation(ref.conversationSid).attributes = JSON.stringify({ flexcordWorkflowId: workflowId });
    const second = await handOver(ref);
    assert.notEqual(second.interactionSid, first.interactionSid);
    assert.equal(fake.interactions.size, 2);
  });
});

const AUTH_TOKEN = 'atom0c0ffee0c0ffee0c0ffee0c0ffee';

describe('Twilio Flex end to end: the hand-over survives a lost answer', function () {
  this.timeout(120_000);
  const twilio = twilioHarnessForEachTest(AUTH_TOKEN);

  it('Temporal retries handToFlex after the lost answer and the conversation waits on the one task Flex has', async () => {
    const { fake } = twilio;
    fake.fail({ match: CREATE, dropAnswer: true });

    await withConversationInFlex(twilio, {}, async ({ client, workflowId: id, standIns }) => {
      const { caseUpdates } = standIns;
      const recorded = await eventually(() => {
        const flex = caseUpdates.find((u) => u.action === 'flex_task_created');
        assert.ok(flex, 'the case records the Flex task');
        return flex.changes.twilioInteractionSid;
      }, 60_000);
      assert.ok(
        fake.requests.some((r) => r.path === '/v1/Interactions' && r.answerLost),
        'the first create lost its answer',
      );
      assert.equal(fake.interactions.size, 1, 'one interaction');
      assert.equal(fake.tasks.size, 1, 'one task routed to agents');
      assert.equal(recorded, [...fake.interactions.keys()][0]);
      assert.equal((await getConversationState(client, id)).phase, 'waiting_for_agent');
    });
  });
});
