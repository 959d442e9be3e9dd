import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { type createTwilioActivities } from '../src/activities/twilio/activities';
import { FakeTwilio } from '../src/sandbox/twilio/fake-twilio';
import { WEBHOOK_URL, flexActivities } from './support/flex-adapter';
import { MediaLinks } from '../src/media/media-links';
import { CONVERSATION_WEBHOOK_FILTERS } from '../src/activities/twilio/twilio-flex-adapter';

const user = { guildId: '290926798626357999', userId: '53908232506183680', userName: 'Mason' };
const channel = { channelId: '1539998169117622272', kind: 'thread' as const };
const workflowId = `support-${user.guildId}-${user.userId}`;

describe('Twilio Flex activities against the local Twilio fake', () => {
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

  const ensure = (caseNumber = 7) =>
    activities.ensureFlexConversation({ workflowId, user, channel, caseNumber });

  it('creates the conversation with the customer, a scoped webhook and timers, then reuses it', async () => {
    const ref = await ensure();
    assert.equal(ref.customerIdentity, `discord:${user.userId}`);
    const conv = fake.conversation(ref.conversationSid);
    assert.match(conv.sid, /^CH[0-9a-f]{32}$/);
    assert.deepEqual(JSON.parse(conv.attributes), {
      flexcordWorkflowId: workflowId,
      caseNumber: 7,
      discordUserId: user.userId,
      discordGuildId: user.guildId,
      discordChannelId: channel.channelId,
      discordChannelKind: 'thread',
    });
    assert.deepEqual(conv.timers, { inactive: 'PT12H', closed: 'P2D' });
    assert.deepEqual(
      conv.participants.map((p) => p.identity),
      [`discord:${user.userId}`],
    );
    assert.equal(conv.webhooks.length, 1);
    assert.equal(conv.webhooks[0]!.url, `${WEBHOOK_URL}?workflowId=${workflowId}`);
    assert.deepEqual(conv.webhooks[0]!.filters, [
      'onMessageAdded',
      'onMessageUpdated',
      'onMessageRemoved',
      'onParticipantAdded',
      'onConversationStateUpdated',
    ]);

    const again = await ensure();
    assert.deepEqual(again, ref);
    assert.equal(fake.conversations.size, 1);
    assert.equal(conv.participants.length, 1);
    assert.equal(conv.webhooks.length, 1);
  });

  it('a reused conversation whose webhook an earlier release made (no edit or removal events) gains them', async () => {
    const ref = await ensure();
    const webhook = fake.conversation(ref.conversationSid).webhooks[0]!;
    webhook.filters = ['onMessageAdded', 'onParticipantAdded', 'onConversationStateUpdated'];
    await ensure();
    const conv = fake.conversation(ref.conversationSid);
    assert.equal(conv.webhooks.length, 1);
    assert.deepEqual([...conv.webhooks[0]!.filters].sort(), [...CONVERSATION_WEBHOOK_FILTERS].sort());
  });

  it('opens a new conversation once the previous one is closed', async () => {
    const first = await ensure(7);
    fake.conversation(first.conversationSid).state = 'closed';
    const second = await ensure(8);
    assert.notEqual(second.conversationSid, first.conversationSid);
  });

  it('posts customer messages as the customer, once per Discord message id', async () => {
    const ref = await ensure();
    const input = {
      conversation: ref,
      text: 'I still cannot log in',
      attachments: [{ url: 'https://cdn.discordapp.com/a/shot.png', name: 'shot.png' }],
      dedupeKey: '1539998180459020288',
    };
    const first = await activities.postCustomerMessage(input);
    const retry = await activities.postCustomerMessage(input);
    assert.equal(retry.messageSid, first.messageSid);
    const messages = fake.conversation(ref.conversationSid).messages;
    assert.equal(messages.length, 1);
    assert.equal(messages[0]!.author, `discord:${user.userId}`);
    assert.equal(messages[0]!.body, 'I still cannot log in\nshot.png: https://cdn.discordapp.com/a/shot.png');
    assert.deepEqual(JSON.parse(messages[0]!.attributes), { discordMessageId: '1539998180459020288' });
  });

  it("posts a customer message with one request on the activity's first attempt, and looks first on a retry", async () => {
    const ref = await ensure();
    const input = {
      conversation: ref,
      text: 'Still broken',
      attachments: [],
      dedupeKey: '1539998180459020299',
    };
    const messagesPath = `/Conversations/${ref.conversationSid}/Messages`;
    const requests = () => fake.requests.filter((r) => r.path.endsWith(messagesPath)).map((r) => r.method);
    const first = (await new MockActivityEnvironment({ attempt: 1 }).run(
      activities.postCustomerMessage,
      input,
    )) as { messageSid: string };
    assert.deepEqual(requests(), ['POST'], 'a first attempt cannot have posted: no look-up');
    // The answer was lost and the activity runs again: it finds its post instead of posting twice.
    const retry = (await new MockActivityEnvironment({ attempt: 2 }).run(
      activities.postCustomerMessage,
      input,
    )) as { messageSid: string };
    assert.deepEqual(requests(), ['POST', 'GET']);
    assert.equal(retry.messageSid, first.messageSid);
    assert.equal(fake.conversation(ref.conversationSid).messages.length, 1);
  });

  it('hands the conversation to Flex with routing and task attributes, and reuses a live handoff', async () => {
    const ref = await ensure();
    const handoff = await activities.handToFlex({
      conversation: ref,
      workflowId,
      caseNumber: 7,
      taskAttributes: { summary: 'Cannot log in', suggestedArticles: ['account/reset-password.md'] },
    });
    assert.match(handoff.interactionSid, /^KD[0-9a-f]{32}$/);
    assert.match(handoff.channelSid, /^UO[0-9a-f]{32}$/);
    const task = fake.taskFor(ref.conversationSid)!;
    assert.equal(task.taskChannel, 'chat');
    assert.equal(task.workflowSid, fake.workflowSid);
    assert.equal(task.attributes.caseNumber, 7);
    assert.equal(task.attributes.summary, 'Cannot log in');
    assert.equal(task.attributes.flexcordWorkflowId, workflowId);
    assert.equal(fake.interactions.get(handoff.interactionSid)!.channel.status, 'active');

    const again = await activities.handToFlex({
      conversation: ref,
      workflowId,
      caseNumber: 7,
      taskAttributes: {},
    });
    assert.deepEqual(again, handoff);
    assert.equal(fake.interactions.size, 1);
  });

  it('reports a failed interaction channel as a permanent failure with Flex reason', async () => {
    const ref = await ensure();
    fake.failNextInteractionSetup({ code: 45000, message: 'No such task channel' });
    const err = await activities
      .handToFlex({ conversation: ref, workflowId, caseNumber: 7, taskAttributes: {} })
      .catch((e: unknown) => e);
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.type, 'FlexHandoffFailed');
    assert.equal(err.nonRetryable, true);
    assert.match(err.message, /No such task channel.*45000/);
  });

  it('raises the priority of the waiting task', async () => {
    const ref = await ensure();
    const handoff = await activities.handToFlex({
      conversation: ref,
      workflowId,
      caseNumber: 7,
      taskAttributes: {},
    });
    await activities.escalateFlexTask({ handoff, priority: 50 });
    assert.equal(fake.taskFor(ref.conversationSid)!.priority, 50);
  });

  it('closes the interaction channel and the conversation; closing twice is fine', async () => {
    const ref = await ensure();
    const handoff = await activities.handToFlex({
      conversation: ref,
      workflowId,
      caseNumber: 7,
      taskAttributes: {},
    });
    await activities.closeFlexConversation({ conversation: ref, handoff });
    await activities.closeFlexConversation({ conversation: ref, handoff });
    assert.equal(fake.interactions.get(handoff.interactionSid)!.channel.status, 'closed');
    assert.equal(fake.conversation(ref.conversationSid).state, 'closed');
    assert.equal(fake.taskFor(ref.conversationSid)!.status, 'wrapping');
  });

  it('gives reconciled agent media the same signed links as the webhook, or names them without a signer', async () => {
    const ref = await ensure();
    fake.dropWebhooks(1000);
    await fake.agentAccepts(ref.conversationSid, { identity: 'alice', name: 'Alice' });
    await fake.agentReplies(ref.conversationSid, 'see this', {
      media: [{ filename: 'settings.png', contentType: 'image/png', content: 'png-bytes' }],
    });
    const links = new MediaLinks({
      secret: 's3cret',
      publicBaseUrl: 'https://support.example.com',
      ttlSeconds: 60,
    });
    const linked = flexActivities(fake, { mediaLink: (media) => links.linkFor(media) });
    const [message] = (await linked.fetchFlexUpdates({ conversation: ref })).messages;
    assert.equal(message!.text, 'see this');
    assert.equal(message!.attachments.length, 1);
    const attachment = message!.attachments[0]!;
    assert.equal(attachment.name, 'settings.png');
    assert.equal(attachment.contentType, 'image/png');
    const url = new URL(attachment.url);
    const [, , , serviceSid, mediaSid] = url.pathname.split('/');
    assert.match(serviceSid!, /^IS[0-9a-f]{32}$/);
    assert.match(mediaSid!, /^ME[0-9a-f]{32}$/);
    assert.equal(
      links.check(
        { serviceSid: serviceSid!, mediaSid: mediaSid! },
        Number(url.searchParams.get('exp')),
        url.searchParams.get('sig')!,
      ),
      'ok',
    );

    const [unsigned] = (await activities.fetchFlexUpdates({ conversation: ref })).messages;
    assert.deepEqual([unsigned!.text, unsigned!.attachments], ['see this\n[attachment: settings.png]', []]);
  });

  it('reads what lost webhooks carried: agent messages after a cursor across pages, agents, state', async () => {
    const ref = await ensure();
    await activities.postCustomerMessage({
      conversation: ref,
      text: 'hello?',
      attachments: [],
      dedupeKey: 'd1',
    });
    fake.dropWebhooks(1000);
    const agent = await fake.agentAccepts(ref.conversationSid, {
      identity: 'alice_40example_2Ecom',
      name: 'Alice',
    });
    for (let i = 0; i < 120; i++) await fake.agentReplies(ref.conversationSid, `reply ${i}`);
    const listed = () =>
      fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/Messages')).length;

    const before = listed();
    const all = await activities.fetchFlexUpdates({ conversation: ref });
    assert.equal(listed() - before, 3, 'three pages of 50, newest first, following next_page_url');
    assert.equal(all.messages.length, 120, 'the customer message is left out');
    assert.deepEqual(
      all.messages.slice(0, 2).map((m) => [m.index, m.text]),
      [
        [1, 'reply 0'],
        [2, 'reply 1'],
      ],
    );
    assert.deepEqual(Object.keys(all.messages[0]!).sort(), [
      'agentIdentity',
      'agentName',
      'attachments',
      'eventId',
      'index',
      'sentAt',
      'text',
    ]);
    assert.match(all.messages[0]!.eventId, /^IM[0-9a-f]{32}$/);
    assert.equal(all.messages[0]!.agentName, 'alice', 'an email login is cut to the part before @');
    assert.deepEqual(all.agents, [
      { identity: 'alice_40example_2Ecom', name: 'alice', participantSid: agent.sid },
    ]);
    assert.equal(all.state, 'active');
    assert.equal(all.lastMessageIndex, 120);

    const next = listed();
    const recent = await activities.fetchFlexUpdates({ conversation: ref, afterMessageIndex: 118 });
    assert.equal(listed() - next, 1, 'a cursor near the end costs one page');
    assert.deepEqual(
      recent.messages.map((m) => m.text),
      ['reply 118', 'reply 119'],
    );
    assert.equal(recent.lastMessageIndex, 120);

    const none = await activities.fetchFlexUpdates({ conversation: ref, afterMessageIndex: 120 });
    assert.deepEqual([none.messages, none.lastMessageIndex], [[], undefined]);

    await fake.agentCloses(ref.conversationSid);
    assert.equal(
      (await activities.fetchFlexUpdates({ conversation: ref, afterMessageIndex: 120 })).state,
      'closed',
    );
  });

  describe('errors', () => {
    it('429 with Retry-After is retryable after the delay Twilio asked for', async () => {
      fake.fail({ status: 429, code: 20429, retryAfterSeconds: 3, match: { method: 'GET' } });
      const err = await ensure().catch((e: unknown) => e);
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.nonRetryable, false);
      assert.equal(err.type, 'TwilioRetryable');
      assert.equal(err.nextRetryDelay, '3s');
      assert.match(err.message, /429 \(code 20429\)/);
    });

    it('a 500 is retryable without a fixed delay', async () => {
      fake.fail({ status: 503, match: { method: 'POST', path: /^\/v1\/Conversations$/ } });
      const err = await ensure().catch((e: unknown) => e);
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.nonRetryable, false);
      assert.equal(err.nextRetryDelay, undefined);
      // and the retry goes through
      await ensure();
    });

    it('a network failure is retryable', async () => {
      const port = new URL(fake.url).port;
      await fake.stop();
      const err = await flexActivities(fake, { apiBaseUrl: `http://127.0.0.1:${port}` })
        .ensureFlexConversation({ workflowId, user, channel, caseNumber: 1 })
        .catch((e: unknown) => e);
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.type, 'TwilioUnreachable');
      assert.equal(err.nonRetryable, false);
      fake = await new FakeTwilio().start(); // afterEach stops it
    });

    it('a 400 is permanent and says what Twilio rejected', async () => {
      const ref = await ensure();
      fake.fail({
        status: 400,
        code: 50009,
        message: 'Body, media or content is required',
        match: { method: 'POST', path: /Messages$/ },
      });
      const err = await activities
        .postCustomerMessage({ conversation: ref, text: 'hi', attachments: [], dedupeKey: '1' })
        .catch((e: unknown) => e);
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.nonRetryable, true);
      assert.equal(err.type, 'BadRequest');
      assert.match(
        err.message,
        /postCustomerMessage: Twilio answered 400 \(code 50009\) to POST .*\/Messages: Body, media or content is required/,
      );
    });

    it('wrong credentials are permanent (401)', async () => {
      const err = await flexActivities(fake, { authToken: 'wrong' })
        .ensureFlexConversation({ workflowId, user, channel, caseNumber: 1 })
        .catch((e: unknown) => e);
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.nonRetryable, true);
      assert.equal(err.type, 'Forbidden');
      assert.match(err.message, /401 \(code 20003\)/);
    });
  });
});
