import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { type createTwilioActivities } from '../src/activities/twilio/activities';
import { isCustomerIdentity } from '../src/activities/twilio/identity';
import { supportWorkflowId } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserAction,
  sendUserMessage,
} from '../src/temporal/support-client';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { flexActivities } from './support/flex-adapter';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { nonTwilioStandIns } from './support/twilio-harness';
import { withWorker } from './support/worker';

/*
 * Twilio asks for opaque participant identities: what identifies a person belongs in the friendly name and
 * attributes, not in the identity that every Twilio log, export and webhook carries. flexcord's customer identity is
 * an HMAC of the Discord user id under a secret of the operator's.
 */
const SECRET = 'identity-secret-for-tests-0123456789';
const user = { guildId: '290926798626357999', userId: '53908232506183680', userName: 'Mason' };
const channel = { channelId: '1539998169117622272', kind: 'dm' as const };
const workflowId = `support-${user.guildId}-${user.userId}`;

/** The expected identity, computed here from the documented construction rather than by the code under test. */
function expectedIdentity(secret: string, discordUserId: string): string {
  const key = createHmac('sha256', secret).update('flexcord customer identity v1').digest();
  return `discord:h-${createHmac('sha256', key).update(discordUserId).digest('hex').slice(0, 32)}`;
}

describe('Twilio customer identities carry no personal data', function () {
  this.timeout(60_000);
  let fake: FakeTwilio;

  beforeEach(async () => {
    fake = await new FakeTwilio().start();
  });
  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.specViolations, [], 'requests and answers must match Twilio OpenAPI specs');
  });

  it('names the customer by an HMAC of the Discord user id; the display name stays in the attributes', async () => {
    const activities = flexActivities(fake, { identitySecret: SECRET });
    const ref = await activities.ensureFlexConversation({
      workflowId,
      user,
      channel,
      caseNumber: 7,
      opaqueIdentity: true,
    });
    const identity = expectedIdentity(SECRET, user.userId);
    assert.equal(ref.customerIdentity, identity);
    assert.ok(!identity.includes(user.userId) && !identity.includes(user.userName));
    assert.ok(isCustomerIdentity(identity), 'still recognised as the customer in webhooks');

    const conversation = fake.conversation(ref.conversationSid);
    assert.deepEqual(
      conversation.participants.map((p) => p.identity),
      [identity],
    );
    assert.equal(JSON.parse(conversation.participants[0]!.attributes).friendlyName, user.userName);
    await activities.postCustomerMessage({
      conversation: ref,
      text: 'hello',
      attachments: [],
      dedupeKey: 'm1',
    });
    assert.equal(conversation.messages[0]!.author, identity);
    await activities.handToFlex({ conversation: ref, workflowId, caseNumber: 7, taskAttributes: {} });
    const task = [...fake.tasks.values()][0]!;
    assert.equal(task.attributes.customerAddress, identity);
    // Nothing Twilio was sent as an identity, author or address holds the Discord user id.
    for (const r of fake.requests) {
      for (const value of [r.query.Identity, r.form.Identity, r.form.Author]) {
        assert.ok(!String(value ?? '').includes(user.userId), `${r.method} ${r.path}`);
      }
    }

    // Stable for the same user and secret; another secret gives another identity.
    const again = await activities.ensureFlexConversation({
      workflowId,
      user,
      channel,
      caseNumber: 7,
      opaqueIdentity: true,
    });
    assert.equal(again.customerIdentity, identity);
    assert.notEqual(expectedIdentity('another-secret-0123456789', user.userId), identity);
  });

  it('keeps the Discord-id identity for an activity scheduled before the change, so a retry continues as it began', async () => {
    const activities = flexActivities(fake, { identitySecret: SECRET });
    const ref = await activities.ensureFlexConversation({ workflowId, user, channel, caseNumber: 8 });
    assert.equal(ref.customerIdentity, `discord:${user.userId}`);
    await activities.postCustomerMessage({
      conversation: ref,
      text: 'still here',
      attachments: [],
      dedupeKey: 'm2',
    });
    const conversation = fake.conversation(ref.conversationSid);
    assert.equal(conversation.messages[0]!.author, `discord:${user.userId}`);
    assert.ok(isCustomerIdentity(`discord:${user.userId}`));
    assert.ok(!isCustomerIdentity('alice_40example_2Ecom'));
  });

  it('the support workflow hands new conversations to Flex under the opaque identity', async () => {
    const { client } = testEnv();
    const others = nonTwilioStandIns();
    const activities = {
      ...others.activities,
      ...flexActivities(fake, { identitySecret: SECRET }),
    } as ReturnType<typeof createTwilioActivities> & typeof others.activities;
    const input = newSupportInput();
    const id = supportWorkflowId(input.user.guildId, input.user.userId);
    await withWorker(activities, async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
      const conversationSid = await eventually(async () => {
        const state = await getConversationState(client, id);
        assert.equal(state.phase, 'waiting_for_agent');
        assert.ok(state.twilioConversationSid);
        return state.twilioConversationSid;
      });
      assert.deepEqual(
        fake.conversation(conversationSid).participants.map((p) => p.identity),
        [expectedIdentity(SECRET, input.user.userId)],
      );
      await sendUserAction(client, { workflowId: id, signal: 'userClose', event: { eventId: 'close-1' } });
      await eventually(async () => assert.equal((await getConversationState(client, id)).phase, 'closed'));
      await recordHistory(client, id, 'support-opaque-identity-v1');
    });
  });
});
