import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { SupportActivities } from '../src/activities/support-activity-types';
import { createTwilioActivities } from '../src/activities/twilio/activities';
import type { CaseChanges, TranscriptEntry } from '../src/shared/case-types';
import type { OutboundDiscordMessage, StartSupportInput, SupportTimings } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserAction,
  sendUserMessage,
} from '../src/temporal/support-client';
import { type FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { type TwilioHarness, startTwilioHarness } from './support/twilio-harness';
import { IDENTITY_SECRET } from './support/flex-adapter';
import { opaqueCustomerIdentity } from '../src/activities/twilio/identity';

/** How the harness's adapter names a Discord user in Twilio. */
const customer = opaqueCustomerIdentity(IDENTITY_SECRET);
import { eventually } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { withWorker } from './support/worker';

/*
 * The whole Twilio path on the real Temporal dev server: the support workflow with the real Flex activities against
 * the local Twilio fake, and the real webhook router signalling the workflow from the fake's signed webhooks.
 * Discord, the case store and the knowledge base are in-memory stand-ins here.
 */

const AUTH_TOKEN = 'e2e0c0ffee0c0ffee0c0ffee0c0ffee0';

/** Stand-ins for the non-Twilio activities, recording what the workflow asked for. */
function otherActivities() {
  const discord: OutboundDiscordMessage[] = [];
  const caseChanges: CaseChanges[] = [];
  const transcripts = new Map<number, TranscriptEntry[]>();
  let nextCase = 100;
  const activities: Omit<SupportActivities, keyof ReturnType<typeof createTwilioActivities>> = {
    openSupportChannel: async ({ user }) => ({ channelId: `dm-${user.userId}`, kind: 'dm' }),
    recordConversation: async () => undefined,
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
    latestStaffNotes: async () => [],
    // Customer files have their own end-to-end test (customer-media.test.ts).
    relayCustomerAttachment: async () => {
      throw new Error('no customer files in these tests');
    },
    // Edits and deletions have their own end-to-end test (message-revisions.test.ts).
    editFlexMessage: async () => undefined,
    removeFlexMessages: async () => undefined,
    editDiscordMessage: async ({ messageIds }) => ({ messageIds }),
    deleteDiscordMessages: async () => undefined,
    searchKnowledgeBase: async () => [],
  };
  return { activities, discord, caseChanges };
}

/** A conversation of its own user, with timers too long to fire during a test. */
function newConversationInput(): { suffix: string; input: StartSupportInput } {
  const suffix = randomUUID().slice(0, 8);
  return {
    suffix,
    input: {
      user: { guildId: `g${suffix}`, userId: `u${suffix}`, userName: `player-${suffix}` },
      timings: {
        inactivitySeconds: 3600,
        inactivityReminderSeconds: 3000,
        agentSlaSeconds: 3600,
        ratingWindowSeconds: 3600,
      } as SupportTimings,
      preferThread: false,
    },
  };
}

describe('Twilio Flex end to end: workflow + Twilio fake + signed webhooks', function () {
  this.timeout(60_000);
  let twilio: TwilioHarness;
  let fake: FakeTwilio;

  beforeEach(async () => {
    twilio = await startTwilioHarness(testEnv().client, AUTH_TOKEN);
    fake = twilio.fake;
  });

  afterEach(() => twilio.stop());

  it('relays the user to Flex and the agent back, then closes the case when the agent closes', async () => {
    const client = testEnv().client;
    const others = otherActivities();
    const adapter = twilio.adapter;
    const activities = { ...others.activities, ...createTwilioActivities(adapter) };
    const { suffix, input } = newConversationInput();

    await withWorker(activities, async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      const workflowId = `support-${input.user.guildId}-${input.user.userId}`;
      await sendUserAction(client, {
        workflowId,
        signal: 'requestHuman',
        event: { eventId: `rh-${suffix}` },
      });

      // Handed over: a conversation with the customer, our webhook, and a Flex task carrying the workflow id.
      const conversationSid = await eventually(() => {
        const task = [...fake.tasks.values()][0];
        assert.ok(task, 'a Flex task exists');
        assert.equal(task.attributes.flexcordWorkflowId, workflowId);
        return task.attributes.conversationSid as string;
      });
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
    const client = testEnv().client;
    const activities = { ...otherActivities().activities, ...createTwilioActivities(twilio.adapter) };
    const { suffix, input } = newConversationInput();
    await withWorker(activities, async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      const workflowId = `support-${input.user.guildId}-${input.user.userId}`;
      await sendUserAction(client, {
        workflowId,
        signal: 'requestHuman',
        event: { eventId: `rh-${suffix}` },
      });
      const conversationSid = await eventually(() => {
        const task = [...fake.tasks.values()][0];
        assert.ok(task, 'a Flex task exists');
        return task.attributes.conversationSid as string;
      });
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
