import assert from 'node:assert/strict';
import { createTwilioClient } from '../src/activities/twilio/twilio-client';
import type { SupportTimings } from '../src/shared/support-types';
import { sendUserAction } from '../src/temporal/support-client';
import { eventually } from './support/conversation-helpers';
import { withConversationInFlex } from './support/flex-conversation';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { type nonTwilioStandIns, twilioHarnessForEachTest } from './support/twilio-harness';

/*
 * Issue 9 item 2, end to end: transfers in Flex (Twilio's documented flow for Flex Conversations: an invite makes a
 * new task on the same interaction channel, then the first agent's channel participant leaves, wrapping up or
 * completing their task) do not close the support conversation; the user hears who they are talking with now. Only
 * the channel's newest live task decides a close, by webhook and by reconciliation.
 */
const AUTH_TOKEN = 'xfer0c0ffee0c0ffee0c0ffee0c0ffee';
const alice = { identity: 'alice_40example_2Ecom', name: 'Alice Example' };
const bob = { identity: 'bob_40example_2Ecom', name: 'Bob Builder' };
type StandIns = ReturnType<typeof nonTwilioStandIns>;

describe('Twilio Flex end to end: transfers keep the conversation open', function () {
  this.timeout(120_000);
  const twilio = twilioHarnessForEachTest(AUTH_TOKEN);

  /** A conversation handed to Flex and accepted by Alice, on a worker running the real Flex activities. */
  async function withAliceOnTheCase(
    timings: Partial<SupportTimings>,
    body: (ctx: {
      sid: string;
      workflowId: string;
      standIns: StandIns;
      phase: () => Promise<string>;
    }) => Promise<void>,
  ) {
    await withConversationInFlex(twilio, { timings, agent: alice }, (c) =>
      body({ sid: c.conversationSid, workflowId: c.workflowId, standIns: c.standIns, phase: c.phase }),
    );
  }

  const nowTalkingWith = (standIns: StandIns) =>
    standIns.discord.filter((m) => m.text.startsWith("You're now talking with "));
  const closeNotices = (standIns: StandIns) =>
    standIns.discord.filter((m) => m.text.includes('Need more help?'));

  it('a cold transfer (invite, then the first agent wraps up and completes) keeps it open and names the new agent', async () => {
    const { fake } = twilio;
    await withAliceOnTheCase({}, async ({ sid, workflowId, standIns, phase }) => {
      const first = fake.taskFor(sid)!;
      await fake.agentTransfers(sid, { to: bob, leaveAs: 'wrapup' });
      await fake.completeTask(first.sid);
      await fake.agentReplies(sid, 'Hi, Bob here, I have your case now.', bob.identity);

      // Relayed, or dropped because the conversation was closed: either way the events before it were handled.
      await eventually(() =>
        assert.ok(
          standIns.discord.some((m) => m.text === 'Hi, Bob here, I have your case now.') ||
            closeNotices(standIns).length > 0,
        ),
      );
      assert.equal(await phase(), 'with_agent', 'the transfer did not close the conversation');
      assert.deepEqual(closeNotices(standIns), []);
      assert.ok(!standIns.caseChanges.some((c) => c.status === 'closed'), 'the case stays open');
      // Named by whichever arrives first: TaskRouter's worker name or the participant's readable identity.
      assert.equal(nowTalkingWith(standIns).length, 1);
      assert.match(nowTalkingWith(standIns)[0]!.text, /^You're now talking with (Bob Builder|bob)\.$/);
      assert.equal(fake.conversation(sid).state, 'active');

      // Bob ends the chat: now the conversation closes, once.
      await fake.agentCloses(sid);
      await eventually(async () => assert.equal(await phase(), 'closed'));
      await eventually(() => assert.equal(closeNotices(standIns).length, 1));

      const client = testEnv().client;
      await sendUserAction(client, {
        workflowId,
        signal: 'rating',
        event: { eventId: `rate-${sid}`, rating: 5 },
      });
      assert.equal((await client.workflow.getHandle(workflowId).result()).caseNumber, 42);
      await recordHistory(client, workflowId, 'support-flex-transfer-v1');
    });
  });

  it('a declined transfer invite (its task canceled) leaves the first agent and the conversation as they were', async () => {
    const { fake } = twilio;
    await withAliceOnTheCase({}, async ({ sid, standIns, phase }) => {
      const handoff = fake.channelFor(sid)!;
      const client = createTwilioClient({
        accountSid: fake.accountSid,
        authToken: fake.authToken,
        apiBaseUrl: fake.url,
      });
      // A warm transfer is offered to the queue, with the task's attributes as Twilio asks; nobody takes it.
      await client.flexApi.v1
        .interaction(handoff.interactionSid)
        .channels(handoff.sid)
        .invites.create({
          routing: {
            properties: {
              workspace_sid: fake.workspaceSid,
              workflow_sid: fake.workflowSid,
              task_channel_unique_name: 'chat',
              attributes: { flexcordWorkflowId: fake.taskFor(sid)!.attributes.flexcordWorkflowId },
            },
          },
        });
      await fake.declineInvite(sid);
      assert.ok(
        fake.deliveries.some((d) => d.params.EventType === 'task.canceled' && d.outcome === 204),
        'TaskRouter said the invited task was canceled',
      );
      await fake.agentReplies(sid, 'Still me, sorry, nobody else is free.', alice.identity);
      await eventually(() =>
        assert.ok(
          standIns.discord.some((m) => m.text === 'Still me, sorry, nobody else is free.') ||
            closeNotices(standIns).length > 0,
        ),
      );
      assert.equal(await phase(), 'with_agent', 'the declined invite did not close the conversation');
      assert.deepEqual(closeNotices(standIns), []);
    });
  });

  it('reconciliation after a transfer whose webhooks were lost: the new agent is announced, nothing closes', async () => {
    const { fake } = twilio;
    await withAliceOnTheCase({ flexReconcileSeconds: 1 }, async ({ sid, standIns, phase }) => {
      const before = fake.deliveries.length;
      // task.wrapup of Alice's task, Bob's onParticipantAdded and reservation.accepted: all lost.
      fake.dropWebhooks(3);
      await fake.agentTransfers(sid, { to: bob, leaveAs: 'wrapup' });
      assert.deepEqual(
        fake.deliveries.slice(before).map((d) => d.outcome),
        ['dropped', 'dropped', 'dropped'],
      );
      await eventually(
        () =>
          assert.ok(
            standIns.discord.some((m) => m.text.includes('bob')),
            'Bob was found',
          ),
        20_000,
      );
      assert.deepEqual(
        nowTalkingWith(standIns).map((m) => m.text),
        ["You're now talking with bob."],
      );
      assert.equal(await phase(), 'with_agent');
      assert.deepEqual(closeNotices(standIns), []);
    });
  });

  it("reconciliation after a declined invite whose webhook was lost: the channel's newest task is canceled, the agent stays", async () => {
    const { fake } = twilio;
    await withAliceOnTheCase({ flexReconcileSeconds: 1 }, async ({ sid, standIns, phase }) => {
      fake.dropWebhooks(1);
      const channel = fake.channelFor(sid)!;
      const client = createTwilioClient({
        accountSid: fake.accountSid,
        authToken: fake.authToken,
        apiBaseUrl: fake.url,
      });
      await client.flexApi.v1
        .interaction(channel.interactionSid)
        .channels(channel.sid)
        .invites.create({
          routing: {
            properties: {
              workspace_sid: fake.workspaceSid,
              task_channel_unique_name: 'chat',
              attributes: { flexcordWorkflowId: fake.taskFor(sid)!.attributes.flexcordWorkflowId },
            },
          },
        });
      await fake.declineInvite(sid);
      const taskReads = () => fake.requests.filter((r) => r.path.endsWith('/Tasks')).length;
      const readsBefore = taskReads();
      // Three more reads, or the conversation closed (then no more reads come).
      await eventually(
        async () => assert.ok(taskReads() >= readsBefore + 3 || (await phase()) === 'closed'),
        20_000,
      );
      assert.equal(await phase(), 'with_agent', 'the declined invite closed nothing');
      assert.deepEqual(closeNotices(standIns), []);
    });
  });
});
