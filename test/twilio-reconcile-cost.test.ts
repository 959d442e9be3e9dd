import assert from 'node:assert/strict';
import { type createTwilioActivities } from '../src/activities/twilio/activities';
import { FakeTwilio, type RecordedRequest } from '../src/sandbox/twilio/fake-twilio';
import { flexActivities } from './support/flex-adapter';

/*
 * Issue 9 item 11: what one reconciliation read costs in Twilio requests. A conversation that knows its agents and
 * the channel's tasks from the last read asks for the conversation, its new messages and the channel's tasks (three
 * requests), one after the other; the participants only when a message's author or the tasks are new, the channel
 * only when it has no task. Counted from the real adapter's requests to the Twilio fake.
 */
const user = { guildId: '290926798626357999', userId: '53908232506183680', userName: 'Mason' };
const workflowId = `support-${user.guildId}-${user.userId}`;
const alice = { identity: 'alice_40example_2Ecom', name: 'Alice Example' };

describe('Flex reconciliation: Twilio requests per read', () => {
  let fake: FakeTwilio;
  let activities: ReturnType<typeof createTwilioActivities>;

  beforeEach(async () => {
    fake = await new FakeTwilio().start();
    activities = flexActivities(fake);
    fake.dropWebhooks(1000); // nobody listens here
  });

  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.specViolations, [], 'requests and answers must match Twilio OpenAPI specs');
  });

  async function withAgent() {
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
    await fake.agentAccepts(conversation.conversationSid, alice);
    await fake.agentReplies(conversation.conversationSid, 'Hello!');
    return { conversation, handoff };
  }

  /** The requests `read` makes, as `METHOD resource` with sids left out. */
  async function requestsOf(read: () => Promise<unknown>): Promise<string[]> {
    const before = fake.requests.length;
    await read();
    return fake.requests.slice(before).map(describe);
  }

  function describe(r: RecordedRequest): string {
    const resource = r.path.split('/').filter((part) => !/^[A-Z]{2}[0-9a-f]{32}$/.test(part));
    return `${r.method} ${resource.slice(2).join('/')}`;
  }

  it('a read that knows the agents and tasks costs three requests; participants only when something is new', async () => {
    const { conversation, handoff } = await withAgent();
    const first = await activities.fetchFlexUpdates({ conversation, handoff });
    const known = {
      agentKeys: ['alice@example.com'],
      tasks: first.tasks!.map((t) => `${t.sid}:${t.status}`).join(','),
    };
    // Typed loosely: `known` is what the workflow tells the adapter it already has.
    const steady = { conversation, handoff, afterMessageIndex: first.lastMessageIndex, known };
    assert.deepEqual(
      await requestsOf(() => activities.fetchFlexUpdates(steady)),
      ['GET Conversations', 'GET Conversations/Messages', 'GET Workspaces/Tasks'],
      'conversation, new messages, tasks',
    );

    // A supervisor writes: their name comes from the participants.
    await fake.supervisorJoins(conversation.conversationSid, { identity: 'sam_40example_2Ecom' });
    await fake.agentReplies(conversation.conversationSid, 'Sam here.', 'sam_40example_2Ecom');
    const withNewAuthor = await requestsOf(() => activities.fetchFlexUpdates(steady));
    assert.ok(withNewAuthor.includes('GET Conversations/Participants'), withNewAuthor.join(', '));

    // A transfer changes the channel's tasks: someone new may have joined without writing.
    await fake.agentTransfers(conversation.conversationSid, { to: { identity: 'bob', name: 'Bob' } });
    const afterTransfer = await requestsOf(() =>
      activities.fetchFlexUpdates({ ...steady, afterMessageIndex: 99 }),
    );
    assert.ok(afterTransfer.includes('GET Conversations/Participants'), afterTransfer.join(', '));
    assert.ok(!afterTransfer.includes('GET Interactions/Channels'), 'the channel has tasks: not read');
  });
});
