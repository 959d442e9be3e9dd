import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { type createTwilioActivities } from '../src/activities/twilio/activities';
import { type FlexHandoffRef } from '../src/activities/twilio/port';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { flexActivities } from './support/flex-adapter';

/*
 * estimateAgentWait on the real adapter against the fake, whose TaskRouter statistics come from its own tasks:
 * the place in the queue from the waiting tasks, the pace from the reservations accepted in the last hour.
 */
describe('Flex wait estimate from TaskRouter statistics', () => {
  let fake: FakeTwilio;
  let activities: ReturnType<typeof createTwilioActivities>;
  let users = 0;

  beforeEach(async () => {
    fake = await new FakeTwilio().start();
    activities = flexActivities(fake);
  });

  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.specViolations, [], 'requests and answers must match Twilio OpenAPI specs');
  });

  /** One more Discord user handed to Flex: a pending task in the fake's workflow. */
  async function handedOver(): Promise<{ conversationSid: string; handoff: FlexHandoffRef }> {
    users += 1;
    const user = { guildId: '290926798626357999', userId: `5390823250618${users}`, userName: `p${users}` };
    const workflowId = `support-${user.guildId}-${user.userId}`;
    const conversation = await activities.ensureFlexConversation({
      workflowId,
      user,
      channel: { channelId: `dm-${users}`, kind: 'dm' },
      caseNumber: users,
    });
    const handoff = await activities.handToFlex({
      conversation,
      workflowId,
      caseNumber: users,
      taskAttributes: {},
    });
    return { conversationSid: conversation.conversationSid, handoff };
  }

  /** An agent accepted this conversation's task after it waited `waitedSeconds`, `acceptedAgoMs` ago. */
  async function acceptedAfter(conversationSid: string, waitedSeconds: number, acceptedAgoMs = 0) {
    await fake.agentAccepts(conversationSid, { identity: 'agent.kim', name: 'Kim' });
    const task = fake.taskFor(conversationSid)!;
    task.acceptedAt = new Date(Date.now() - acceptedAgoMs);
    task.createdAt = new Date(task.acceptedAt.getTime() - waitedSeconds * 1000);
  }

  it("gives the task's place in line and the wait at the last hour's pace, and the place moves with priority", async () => {
    const first = await handedOver();
    const second = await handedOver();
    await acceptedAfter(first.conversationSid, 200);
    await acceptedAfter(second.conversationSid, 400);
    await handedOver(); // older, waiting ahead of ours
    const ours = await handedOver();

    // Two accepted in 60 minutes: one every 30 minutes; second in line is about an hour away.
    assert.deepEqual(await activities.estimateAgentWait({ handoff: ours.handoff }), {
      seconds: 3600,
      position: 2,
    });
    const stats = fake.requests.find((r) => r.path.endsWith('/CumulativeStatistics'));
    assert.ok(stats);
    assert.equal(
      stats.path,
      `/v1/Workspaces/${fake.workspaceSid}/Workflows/${fake.workflowSid}/CumulativeStatistics`,
    );
    assert.deepEqual(stats.query, { Minutes: '60', TaskChannel: 'chat' });

    await activities.escalateFlexTask({ handoff: ours.handoff, priority: 100 });
    assert.deepEqual(await activities.estimateAgentWait({ handoff: ours.handoff }), {
      seconds: 1800,
      position: 1,
    });
  });

  it('counts only acceptances within the hour, and gives no seconds when nobody accepted a task in it', async () => {
    const old = await handedOver();
    await acceptedAfter(old.conversationSid, 100, 2 * 60 * 60 * 1000);
    const ours = await handedOver();
    assert.deepEqual(await activities.estimateAgentWait({ handoff: ours.handoff }), { position: 1 });

    const recent = await handedOver();
    await acceptedAfter(recent.conversationSid, 100);
    assert.deepEqual(await activities.estimateAgentWait({ handoff: ours.handoff }), {
      seconds: 3600,
      position: 1,
    });
  });

  it("falls back to the hour's average acceptance time when the task is no longer waiting", async () => {
    const accepted = await handedOver();
    await acceptedAfter(accepted.conversationSid, 300);
    const ours = await handedOver();
    await fake.cancelTask(ours.conversationSid);
    assert.deepEqual(await activities.estimateAgentWait({ handoff: ours.handoff }), { seconds: 300 });
  });

  it('a TaskRouter outage is retryable', async () => {
    const ours = await handedOver();
    fake.fail({ status: 503, match: { path: /CumulativeStatistics$/ } });
    const err = await activities.estimateAgentWait({ handoff: ours.handoff }).catch((e: unknown) => e);
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.nonRetryable, false);
  });
});
