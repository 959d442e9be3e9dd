import assert from 'node:assert/strict';
import { createTwilioClient } from '../src/activities/twilio/twilio-client';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { flexActivities } from './support/flex-adapter';

/*
 * The Twilio fake's transfer, driven the way a Flex transfer function drives Twilio (Interactions API: an invite on
 * the interaction channel, then the first agent's channel participant leaves), through the real twilio client and
 * checked against Twilio's OpenAPI specs.
 */
const user = { guildId: '290926798626357999', userId: '53908232506183680', userName: 'Mason' };
const workflowId = `support-${user.guildId}-${user.userId}`;
const alice = { identity: 'alice_40example_2Ecom', name: 'Alice Example' };
const bob = { identity: 'bob_40example_2Ecom', name: 'Bob Builder' };

describe('Twilio fake: transfers on an interaction channel', () => {
  let fake: FakeTwilio;

  beforeEach(async () => {
    fake = await new FakeTwilio().start();
  });

  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.specViolations, [], 'requests and answers must match Twilio OpenAPI specs');
  });

  async function handedToAlice() {
    const activities = flexActivities(fake);
    const conversation = await activities.ensureFlexConversation({
      workflowId,
      user,
      channel: { channelId: 'dm-1', kind: 'dm' },
      caseNumber: 5,
    });
    const handoff = await activities.handToFlex({
      conversation,
      workflowId,
      caseNumber: 5,
      taskAttributes: {},
    });
    await fake.agentAccepts(conversation.conversationSid, alice);
    return { conversation, handoff };
  }

  it('an invite adds a task on the same channel; the first agent leaving wraps up only their task', async () => {
    const { conversation, handoff } = await handedToAlice();
    const sid = conversation.conversationSid;
    const first = fake.taskFor(sid)!;
    const twilio = createTwilioClient({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      apiBaseUrl: fake.url,
    });
    const channel = twilio.flexApi.v1.interaction(handoff.interactionSid).channels(handoff.channelSid);

    const invite = await channel.invites.create({
      routing: {
        properties: {
          workspace_sid: fake.workspaceSid,
          workflow_sid: fake.workflowSid,
          task_channel_unique_name: 'chat',
          attributes: { ...first.attributes, transferTargetType: 'queue' },
        },
      },
    });
    assert.match(invite.sid, /^KG[0-9a-f]{32}$/);
    const invited = fake.taskFor(sid)!;
    assert.notEqual(invited.sid, first.sid);
    assert.equal(invited.status, 'pending');
    assert.equal(invited.attributes.flexInteractionChannelSid, handoff.channelSid);
    assert.equal(invited.attributes.flexChannelInviteSid, invite.sid);
    assert.equal(invited.attributes.flexcordWorkflowId, workflowId);
    assert.deepEqual(
      (await channel.invites.list()).map((i) => i.sid),
      [invite.sid],
    );

    const agents = (await channel.participants.list()).filter((p) => p.type === 'agent');
    assert.equal(agents.length, 1);
    await channel.participants(agents[0]!.sid).update({ status: 'wrapup' });
    await fake.settle();
    assert.equal(first.status, 'wrapping', "the first agent's task wraps up");
    assert.equal(invited.status, 'pending', 'the invited task still waits');
    assert.equal(fake.conversation(sid).state, 'active', 'the conversation stays open');
    assert.equal(fake.interactions.get(handoff.interactionSid)!.channel.status, 'active');
    assert.deepEqual(
      fake.conversation(sid).participants.map((p) => p.identity),
      [`discord:${user.userId}`],
      'Flex takes the agent out of the conversation',
    );

    // Tasks newest first, as reconciliation reads them: the invited one leads.
    const listed = await twilio.taskrouter.v1.workspaces(fake.workspaceSid).tasks.list({
      evaluateTaskAttributes: `flexInteractionChannelSid == "${handoff.channelSid}"`,
      ordering: 'DateCreated:desc',
    });
    assert.deepEqual(
      listed.map((t) => t.sid),
      [invited.sid, first.sid],
    );

    await fake.agentAccepts(sid, bob);
    assert.equal(invited.status, 'assigned');
    assert.deepEqual(
      fake.conversation(sid).participants.map((p) => p.identity),
      [`discord:${user.userId}`, bob.identity],
    );
  });

  it('agentTransfers plays the cold and warm flows; closing the chat wraps up the newest agent', async () => {
    const { conversation } = await handedToAlice();
    const sid = conversation.conversationSid;
    const [first] = fake.tasksFor(sid);
    const toBob = await fake.agentTransfers(sid, { to: bob, leaveAs: 'closed' });
    assert.equal(first!.status, 'completed');
    assert.equal(toBob.status, 'assigned');
    const back = await fake.agentTransfers(sid, { to: alice, warm: true });
    assert.equal(toBob.status, 'wrapping');
    assert.equal(back.status, 'assigned');

    await fake.agentCloses(sid);
    assert.equal(back.status, 'completed');
    assert.equal(fake.conversation(sid).state, 'closed');
  });
});
