import assert from 'node:assert/strict';
import { opaqueCustomerIdentity } from '../src/activities/twilio/identity';
import type { CaseChanges, TranscriptEntry } from '../src/shared/case-types';
import type { OutboundDiscordMessage } from '../src/shared/support-types';
import { getConversationState, sendUserMessage } from '../src/temporal/support-client';
import { eventually } from './support/conversation-helpers';
import { IDENTITY_SECRET } from './support/flex-adapter';
import { withConversationInFlex } from './support/flex-conversation';
import { nonTwilioStandIns, twilioHarnessForEachTest } from './support/twilio-harness';

/** How the harness's adapter names a Discord user in Twilio. */
const customer = opaqueCustomerIdentity(IDENTITY_SECRET);

/*
 * The whole Twilio path on the real Temporal dev server: the support workflow with the real Flex activities against
 * the local Twilio fake, and the real webhook router signalling the workflow from the fake's signed webhooks.
 * Discord, the case store and the knowledge base are in-memory stand-ins here.
 */

const AUTH_TOKEN = 'e2e0c0ffee0c0ffee0c0ffee0c0ffee0';

/**
 * The shared stand-ins, except that Discord sends are deduplicated by key (as the real send is) and cases keep
 * their transcripts, numbered from 100.
 */
function otherActivities() {
  const discord: OutboundDiscordMessage[] = [];
  const caseChanges: CaseChanges[] = [];
  const transcripts = new Map<number, TranscriptEntry[]>();
  let nextCase = 100;
  const activities: ReturnType<typeof nonTwilioStandIns>['activities'] = {
    ...nonTwilioStandIns().activities,
    sendToDiscord: async (message) => {
      if (!discord.some((m) => m.dedupeKey === message.dedupeKey)) discord.push(message);
      return { messageIds: [String(discord.length)] };
    },
    openCase: async (input) => {
      const caseNumber = nextCase++;
      transcripts.set(caseNumber, [...(input.transcript ?? [])]);
      return { caseNumber };
    },
    appendTranscript: async ({ caseNumber, entries }) => {
      transcripts.get(caseNumber)?.push(...entries);
    },
    updateCase: async ({ changes }) => {
      caseChanges.push(changes);
    },
    getCaseTranscript: async ({ caseNumber }) => transcripts.get(caseNumber) ?? [],
  };
  return { activities, discord, caseChanges };
}

describe('Twilio Flex end to end: workflow + Twilio fake + signed webhooks', function () {
  this.timeout(60_000);
  const twilio = twilioHarnessForEachTest(AUTH_TOKEN);

  it('relays the user to Flex and the agent back, then closes the case when the agent closes', async () => {
    const { fake } = twilio;
    const others = otherActivities();
    await withConversationInFlex(twilio, { standIns: others }, async (flex) => {
      const { client, taskQueue, input, suffix, workflowId, conversationSid } = flex;

      // Handed over: a conversation with the customer, our webhook, and a Flex task carrying the workflow id.
      assert.equal(fake.taskFor(conversationSid)?.attributes.flexcordWorkflowId, workflowId);
      const conversation = fake.conversation(conversationSid);
      assert.deepEqual(
        conversation.participants.map((p) => p.identity),
        [customer(input.user.userId)],
      );
      await eventually(async () =>
        assert.equal((await getConversationState(client, workflowId)).phase, 'waiting_for_agent'),
      );

      // The user's messages reach the conversation, even through a 429 with Retry-After (the activity retries
      // after the delay Twilio asked for).
      fake.fail({
        status: 429,
        code: 20429,
        retryAfterSeconds: 1,
        match: { method: 'POST', path: /\/Messages$/ },
      });
      await sendUserMessage(client, {
        taskQueue,
        input,
        event: {
          eventId: `dm-1-${suffix}`,
          text: 'My game crashes on start',
          attachments: [],
          sentAt: new Date().toISOString(),
        },
      });
      await eventually(() =>
        assert.deepEqual(
          conversation.messages.map((m) => [m.author, m.body]),
          [[customer(input.user.userId), 'My game crashes on start']],
        ),
      );
      const posts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages'));
      assert.deepEqual(
        posts.map((r) => r.status),
        [429, 201],
      );
      assert.ok(posts[1]!.at - posts[0]!.at >= 1000, `retried after ${posts[1]!.at - posts[0]!.at} ms`);

      // The agent accepts and joins: both the participant webhook and TaskRouter's reservation.accepted arrive.
      await fake.agentAccepts(conversationSid, { identity: 'alice_40example_2Ecom', name: 'Alice Example' });
      await eventually(async () => {
        const state = await getConversationState(client, workflowId);
        assert.equal(state.phase, 'with_agent');
        assert.equal(state.agent?.identity, 'alice_40example_2Ecom');
      });

      // The agent replies in Flex; the workflow relays it to Discord, once, even if Twilio delivers it twice.
      const reply = await fake.agentReplies(conversationSid, 'Please reinstall the graphics driver.');
      const delivery = fake.deliveries.find((d) => d.params.MessageSid === reply.sid)!;
      await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': delivery.signature,
        },
        body: new URLSearchParams(delivery.params).toString(),
      });
      await eventually(() => {
        const relayed = others.discord.filter((m) => m.kind === 'agent_message');
        assert.equal(relayed.length, 1);
        assert.equal(relayed[0]!.text, 'Please reinstall the graphics driver.');
        assert.equal(relayed[0]!.agentName, 'Alice Example');
      });

      // The agent closes: the conversation closes, the case closes, and our own customer posts never echoed back.
      await fake.agentCloses(conversationSid);
      await eventually(async () => {
        assert.equal((await getConversationState(client, workflowId)).phase, 'closed');
        assert.ok(others.caseChanges.some((c) => c.status === 'closed'));
      });
      assert.equal(conversation.state, 'closed');
      assert.ok(
        fake.deliveries.every((d) => d.outcome === 200 || d.outcome === 204),
        JSON.stringify(fake.deliveries.map((d) => [d.params.EventType, d.outcome])),
      );
    });
  });

  it("retries the user's message after a 429 whose Retry-After is 0, instead of giving it up", async () => {
    const { fake } = twilio;
    await withConversationInFlex(twilio, { standIns: otherActivities() }, async (flex) => {
      const { client, taskQueue, input, suffix, conversationSid } = flex;
      // Twilio may answer "retry now": the message must still be retried, not dropped.
      fake.fail({
        status: 429,
        code: 20429,
        retryAfterSeconds: 0,
        match: { method: 'POST', path: /\/Messages$/ },
      });
      await sendUserMessage(client, {
        taskQueue,
        input,
        event: {
          eventId: `dm-0-${suffix}`,
          text: 'Still stuck',
          attachments: [],
          sentAt: new Date().toISOString(),
        },
      });
      await eventually(() =>
        assert.deepEqual(
          fake.conversation(conversationSid).messages.map((m) => m.body),
          ['Still stuck'],
        ),
      );
      const posts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages'));
      assert.deepEqual(
        posts.map((r) => r.status),
        [429, 201],
      );
    });
  });
});
