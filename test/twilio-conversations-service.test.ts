import assert from 'node:assert/strict';
import { type createTwilioActivities } from '../src/activities/twilio/activities';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { newSid } from '../src/sandbox/twilio/sids';
import { flexActivities } from './support/flex-adapter';

/*
 * TWILIO_CONVERSATIONS_SERVICE_SID set: every Conversations call the adapter makes goes to the service-scoped
 * resources (/v1/Services/{IS}/...), page links included; nothing touches the account's default-service paths.
 */
const user = { guildId: '290926798626357999', userId: '53908232506183680', userName: 'Mason' };
const workflowId = `support-${user.guildId}-${user.userId}`;

describe('Flex adapter with a configured Conversations service', () => {
  let fake: FakeTwilio;

  beforeEach(async () => {
    fake = await new FakeTwilio().start();
  });

  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.specViolations, [], 'requests and answers must match Twilio OpenAPI specs');
  });

  const conversationsCalls = () => fake.requests.filter((r) => r.product === 'conversations');

  async function fullConversation(activities: ReturnType<typeof createTwilioActivities>) {
    const ensure = () =>
      activities.ensureFlexConversation({
        workflowId,
        user,
        channel: { channelId: 'dm-1', kind: 'dm' },
        caseNumber: 5,
      });
    const conversation = await ensure();
    assert.equal((await ensure()).conversationSid, conversation.conversationSid, 'reused');
    await activities.postCustomerMessage({ conversation, text: 'hello', attachments: [], dedupeKey: 'd1' });
    const handoff = await activities.handToFlex({
      conversation,
      workflowId,
      caseNumber: 5,
      taskAttributes: {},
    });
    // The webhook target is not reachable from tests, and only the REST paths matter here.
    fake.conversation(conversation.conversationSid).webhooks.length = 0;
    await fake.agentAccepts(conversation.conversationSid, { identity: 'agent.kim', name: 'Kim' });
    // More than one page (50) of messages, so reconciliation follows Twilio's next-page links.
    for (let i = 0; i < 60; i++) await fake.agentReplies(conversation.conversationSid, `reply ${i}`);
    const updates = await activities.fetchFlexUpdates({ conversation, handoff });
    assert.equal(updates.messages.length, 60);
    assert.deepEqual(
      updates.agents.map((a) => a.identity),
      ['agent.kim'],
    );
    await activities.closeFlexConversation({ conversation, handoff });
    assert.equal(fake.conversation(conversation.conversationSid).state, 'closed');
  }

  it('uses the service-scoped paths for every Conversations call', async () => {
    await fullConversation(flexActivities(fake, { conversationsServiceSid: fake.serviceSid }));

    const calls = conversationsCalls();
    const scoped = `/v1/Services/${fake.serviceSid}/`;
    assert.deepEqual(
      calls.filter((r) => !r.path.startsWith(scoped)).map((r) => `${r.method} ${r.path}`),
      [],
    );
    // Each kind of call was made: create and reuse, participant, webhook, messages (both ways), reconciliation.
    const kinds = new Set(
      calls.map(
        (r) => `${r.method} ${r.path.slice(scoped.length).replace(/(CH|IM|MB|WH)[0-9a-f]{32}/g, ':sid')}`,
      ),
    );
    for (const expected of [
      'GET ParticipantConversations',
      'POST Conversations',
      'GET Conversations/:sid',
      'POST Conversations/:sid',
      'POST Conversations/:sid/Participants',
      'GET Conversations/:sid/Participants',
      'POST Conversations/:sid/Webhooks',
      'GET Conversations/:sid/Webhooks',
      'POST Conversations/:sid/Messages',
      'GET Conversations/:sid/Messages',
    ])
      assert.ok(kinds.has(expected), `${expected} in ${[...kinds].join(', ')}`);
    const pages = calls.filter((r) => r.path.endsWith('/Messages') && r.query.PageToken !== undefined);
    assert.ok(pages.length >= 1, 'a next page was followed on the scoped path');
  });

  it('without a service, uses the default-service paths', async () => {
    await fullConversation(flexActivities(fake));
    assert.deepEqual(
      conversationsCalls()
        .filter((r) => r.path.startsWith('/v1/Services/'))
        .map((r) => r.path),
      [],
    );
  });

  it('a service the account does not have is a permanent failure', async () => {
    const activities = flexActivities(fake, { conversationsServiceSid: newSid('IS') });
    const err = await activities
      .ensureFlexConversation({ workflowId, user, channel: { channelId: 'dm-1', kind: 'dm' }, caseNumber: 5 })
      .catch((e: unknown) => e);
    assert.ok(err instanceof Error);
    assert.match(err.message, /404/);
    assert.equal((err as { nonRetryable?: boolean }).nonRetryable, true);
  });
});
