import assert from 'node:assert/strict';
import { type Client } from '@temporalio/client';
import { SupportPhaseKey, CaseNumberKey, AgentIdentityKey } from '../src/shared/search-attributes';
import { supportWorkflowId, type StartSupportInput } from '../src/shared/support-types';
import {
  ConversationNotFoundError,
  getConversationState,
  openSupportConversation,
  sendUserAction,
  sendUserMessage,
  signalAgentEvent,
} from '../src/temporal/support-client';
import { FakeSupportWorld, REFUND_ARTICLE, refundSearch } from './fakes/support-activities';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

/*
 * The support conversation on the real Temporal dev server, with every activity replaced by the in-memory fakes.
 * Each test drives the conversation through the same client helpers the bot and the webhooks use.
 */
describe('support conversation workflow', function () {
  this.timeout(60_000);
  let client: Client;
  before(() => {
    client = testEnv().client;
  });

  const idOf = (input: StartSupportInput) => supportWorkflowId(input.user.guildId, input.user.userId);

  /** Opens a conversation, asks something the bot can't answer, then asks for a person: case #1 waiting. */
  async function toWaitingForAgent(world: FakeSupportWorld, taskQueue: string, input: StartSupportInput) {
    await openSupportConversation(client, { taskQueue, input });
    await sendUserMessage(client, {
      taskQueue,
      input,
      event: userMessage('my guild chest is empty after the update'),
    });
    await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
    return eventually(async () => {
      const state = await getConversationState(client, idOf(input));
      assert.equal(state.phase, 'waiting_for_agent');
      assert.equal(world.handoffs.length, 1);
      return state;
    });
  }

  it('answers with articles, says when it found nothing, and shows the phase to operators', async () => {
    const world = new FakeSupportWorld({ search: refundSearch });
    const input = newSupportInput();
    await withWorker(world.activities(), async (taskQueue) => {
      const opened = await openSupportConversation(client, { taskQueue, input });
      assert.deepEqual(opened, {
        channel: { channelId: `dm-${input.user.userId}`, kind: 'dm' },
        phase: 'bot',
        created: true,
      });

      const again = await openSupportConversation(client, { taskQueue, input });
      assert.equal(again.created, false, 'a second /helpme finds the running conversation');

      await sendUserMessage(client, {
        taskQueue,
        input,
        event: userMessage('How do I get a refund for gems?'),
      });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('the moon is made of cheese') });
      await eventually(() => assert.equal(world.sent.length, 3));

      const [greeting, answer, nothing] = world.sent;
      assert.equal(greeting!.kind, 'notice');
      assert.deepEqual(greeting!.buttons, ['request_human']);
      assert.equal(answer!.kind, 'bot_answer');
      assert.deepEqual(answer!.articles, [REFUND_ARTICLE]);
      assert.deepEqual(answer!.buttons, ['request_human', 'close']);
      assert.equal(nothing!.kind, 'notice');
      assert.match(nothing!.text, /couldn't find a good answer/);
      assert.deepEqual(nothing!.buttons, ['request_human']);
      assert.equal(world.cases.size, 0, 'no case while the bot handles it');

      const description = await client.workflow.getHandle(idOf(input)).describe();
      assert.equal(description.typedSearchAttributes.get(SupportPhaseKey), 'bot');
      assert.equal(description.typedSearchAttributes.get(CaseNumberKey), undefined);
    });
  });

  it('hands over on a plain request: case with transcript and articles, notice, then Flex with task attributes', async () => {
    const world = new FakeSupportWorld({ search: refundSearch });
    const input = newSupportInput();
    await withWorker(world.activities(), async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('I want a refund') });
      await sendUserMessage(client, {
        taskQueue,
        input,
        event: userMessage('Can I speak to a real person?'),
      });
      const state = await eventually(async () => {
        const s = await getConversationState(client, idOf(input));
        assert.equal(s.phase, 'waiting_for_agent');
        assert.equal(world.handoffs.length, 1);
        return s;
      });
      assert.equal(world.searches.length, 1, 'the request for a person is not sent to the knowledge base');
      const caseNumber = state.caseNumber!;
      const opened = world.cases.get(caseNumber)!;
      assert.equal(opened.input.reporter.discordId, input.user.userId);
      assert.equal(opened.input.guildId, input.user.guildId);
      assert.equal(opened.input.title, 'I want a refund');
      assert.deepEqual(opened.input.suggestedArticles, [REFUND_ARTICLE]);
      assert.deepEqual(
        opened.input.transcript!.map((e) => e.authorKind),
        ['user', 'bot', 'user'],
        'the conversation so far goes into the case',
      );

      const notice = world.sent.find((m) => m.text.startsWith(`Case #${caseNumber} opened`));
      assert.ok(notice, 'the user hears the case number');
      assert.match(notice.text, /connecting you to an agent/);
      const attributes = world.handoffs[0]!.taskAttributes;
      assert.equal(attributes.caseNumber, caseNumber);
      assert.equal(attributes.discordUserId, input.user.userId);
      assert.match(String(attributes.transcript), /I want a refund/);
      assert.deepEqual(attributes.suggestedArticles, [
        { title: REFUND_ARTICLE.title, url: REFUND_ARTICLE.url },
      ]);
      await eventually(() => {
        assert.equal(world.caseView(caseNumber).status, 'waiting_for_agent');
        assert.equal(world.caseView(caseNumber).twilioInteractionSid, `KD${caseNumber}`);
      });

      const description = await client.workflow.getHandle(idOf(input)).describe();
      assert.equal(description.typedSearchAttributes.get(SupportPhaseKey), 'waiting_for_agent');
      assert.equal(description.typedSearchAttributes.get(CaseNumberKey), caseNumber);
      const metadata = await client.workflow
        .getHandle(idOf(input))
        .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      assert.match(
        metadata.currentDetails ?? '',
        new RegExp(
          `^Case #${caseNumber} · waiting_for_agent · ${input.user.userName} \\(${input.user.userId}\\)`,
        ),
        'the Temporal UI shows a readable one-liner',
      );
    });
  });

  it('hands over on the button, and relays what the user writes while waiting', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput();
    await withWorker(world.activities(), async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserAction(client, {
        workflowId: idOf(input),
        signal: 'requestHuman',
        event: { eventId: 'i-1' },
      });
      const state = await eventually(async () => {
        const s = await getConversationState(client, idOf(input));
        assert.equal(world.handoffs.length, 1);
        return s;
      });
      const waiting = userMessage('still here, my account is locked', {
        attachments: [{ url: 'https://cdn.example.com/shot.png', name: 'shot.png' }],
      });
      await sendUserMessage(client, { taskQueue, input, event: waiting });
      await eventually(() => assert.equal(world.flexMessages.length, 1));
      assert.deepEqual(world.flexMessages[0], {
        conversationSid: state.twilioConversationSid,
        text: 'still here, my account is locked',
        dedupeKey: waiting.eventId,
        attachments: [],
      });
      // The file follows as Twilio media, one message of its own (Flex chat takes one file per message).
      await eventually(() =>
        assert.deepEqual(
          world.relayedFiles.map((f) => [f.discordMessageId, f.name]),
          [[waiting.eventId, 'shot.png']],
        ),
      );
      assert.ok(world.cases.get(state.caseNumber!)!.transcript.some((e) => e.entryId === waiting.eventId));
    });
  });

  it('tells the user when an agent joins and relays messages and attachments both ways', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput();
    await withWorker(world.activities(), async (taskQueue) => {
      const { caseNumber } = await toWaitingForAgent(world, taskQueue, input);
      const workflowId = idOf(input);
      await signalAgentEvent(client, {
        workflowId,
        event: { kind: 'joined', eventId: 'MB-join-1', agentIdentity: 'agent.ana', agentName: 'Ana' },
      });
      await eventually(() =>
        assert.ok(world.sent.some((m) => m.text === 'Ana from the support team joined the conversation.')),
      );
      const state = await getConversationState(client, workflowId);
      assert.equal(state.phase, 'with_agent');
      assert.deepEqual(state.agent, { identity: 'agent.ana', name: 'Ana' });
      await eventually(() => {
        assert.equal(world.caseView(caseNumber!).assignedAgent, 'agent.ana');
        assert.equal(world.caseView(caseNumber!).status, 'in_progress');
      });

      await signalAgentEvent(client, {
        workflowId,
        event: {
          kind: 'message',
          eventId: 'IM-agent-1',
          agentIdentity: 'agent.ana',
          agentName: 'Ana',
          text: 'Here is the fix',
          attachments: [
            { url: 'https://media.example.com/fix.pdf', name: 'fix.pdf', contentType: 'application/pdf' },
          ],
          sentAt: new Date().toISOString(),
        },
      });
      const fromUser = userMessage('thanks, trying now', {
        attachments: [{ url: 'https://cdn.example.com/log.txt' }],
      });
      await sendUserMessage(client, { taskQueue, input, event: fromUser });
      await eventually(() => {
        const relayed = world.sentOfKind('agent_message');
        assert.equal(relayed.length, 1);
        assert.equal(relayed[0]!.agentName, 'Ana');
        assert.equal(relayed[0]!.dedupeKey, 'IM-agent-1');
        assert.deepEqual(relayed[0]!.attachments, [
          { url: 'https://media.example.com/fix.pdf', name: 'fix.pdf', contentType: 'application/pdf' },
        ]);
        assert.equal(world.flexMessages.at(-1)!.dedupeKey, fromUser.eventId);
      });
      assert.deepEqual(world.flexMessages.at(-1)!.attachments, []);
      await eventually(() =>
        assert.deepEqual(
          world.relayedFiles.map((f) => f.discordMessageId),
          [fromUser.eventId],
        ),
      );
      const transcript = world.cases.get(caseNumber!)!.transcript;
      assert.ok(transcript.some((e) => e.entryId === 'IM-agent-1' && e.authorKind === 'agent'));
      const description = await client.workflow.getHandle(workflowId).describe();
      assert.equal(description.typedSearchAttributes.get(AgentIdentityKey), 'agent.ana');
    });
  });

  for (const reason of ['agent_closed', 'task_completed'] as const) {
    it(`closes when Flex reports ${reason}, then records the rating on the case`, async () => {
      const world = new FakeSupportWorld();
      const input = newSupportInput();
      await withWorker(world.activities(), async (taskQueue) => {
        const { caseNumber } = await toWaitingForAgent(world, taskQueue, input);
        const workflowId = idOf(input);
        await signalAgentEvent(client, {
          workflowId,
          event: { kind: 'closed', eventId: `EV-${reason}`, reason },
        });
        await eventually(() => assert.equal(world.sentOfKind('rating_prompt').length, 1));
        assert.equal(world.caseView(caseNumber!).status, 'closed');
        assert.equal(world.caseView(caseNumber!).closeReason, reason);
        assert.equal(world.flexClosed.length, 1, 'the Flex side is closed if still open');
        const closedNotice = world.sent.find((m) => m.text.includes('/helpme'));
        assert.ok(closedNotice, 'the user is told how to come back');
        assert.equal((await getConversationState(client, workflowId)).phase, 'closed');

        await sendUserAction(client, {
          workflowId,
          signal: 'rating',
          event: { eventId: 'rate-1', rating: 4 },
        });
        const outcome = await client.workflow.getHandle(workflowId).result();
        assert.deepEqual(outcome, { caseNumber, closeReason: reason });
        assert.equal(world.caseView(caseNumber!).rating, 4);
        assert.ok(world.sent.some((m) => m.text === 'Thanks for rating us 4/5!'));
        if (reason === 'task_completed') await recordHistory(client, workflowId, 'support-agent-close-v1');
      });
    });
  }

  it('closes when the user presses close while with an agent, and tells a later signal the conversation is gone', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput({ ratingWindowSeconds: 2 });
    await withWorker(world.activities(), async (taskQueue) => {
      const { caseNumber } = await toWaitingForAgent(world, taskQueue, input);
      const workflowId = idOf(input);
      await sendUserAction(client, { workflowId, signal: 'userClose', event: { eventId: 'close-1' } });
      const outcome = await client.workflow.getHandle(workflowId).result();
      assert.deepEqual(outcome, { caseNumber, closeReason: 'user_closed' });
      assert.equal(world.caseView(caseNumber!).closeReason, 'user_closed');
      assert.equal(world.caseView(caseNumber!).rating, undefined, 'no rating given inside the window');
      assert.equal(world.flexClosed.length, 1);
      await assert.rejects(
        sendUserAction(client, { workflowId, signal: 'rating', event: { eventId: 'late', rating: 5 } }),
        ConversationNotFoundError,
      );
    });
  });

  it('closes a bot-only conversation without a case or a rating', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput();
    await withWorker(world.activities(), async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserAction(client, {
        workflowId: idOf(input),
        signal: 'userClose',
        event: { eventId: 'close-b' },
      });
      const outcome = await client.workflow.getHandle(idOf(input)).result();
      assert.deepEqual(outcome, { closeReason: 'user_closed' });
      assert.equal(world.cases.size, 0);
      assert.equal(world.sentOfKind('rating_prompt').length, 0);
    });
  });

  it('reminds an idle user, then closes for inactivity with the case', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput({
      inactivityReminderSeconds: 2,
      inactivitySeconds: 4,
      ratingWindowSeconds: 1,
    });
    await withWorker(world.activities(), async (taskQueue) => {
      const { caseNumber } = await toWaitingForAgent(world, taskQueue, input);
      const workflowId = idOf(input);
      await signalAgentEvent(client, {
        workflowId,
        event: { kind: 'joined', eventId: 'MB-join-2', agentIdentity: 'agent.bo', agentName: 'Bo' },
      });
      const joinedAt = Date.now();
      await eventually(
        () => assert.ok(world.sent.some((m) => m.text.startsWith('Are you still there?'))),
        10_000,
      );
      const remindedAfter = Date.now() - joinedAt;
      const outcome = await client.workflow.getHandle(workflowId).result();
      const closedAfter = Date.now() - joinedAt;
      assert.deepEqual(outcome, { caseNumber, closeReason: 'inactivity' });
      assert.ok(remindedAfter >= 1500, `reminder came after ${remindedAfter} ms`);
      assert.ok(closedAfter >= 3500, `closed after ${closedAfter} ms`);
      assert.equal(world.sent.filter((m) => m.text.startsWith('Are you still there?')).length, 1);
      assert.ok(
        world.sent.some((m) =>
          m.text.startsWith('This conversation was closed after a period of inactivity'),
        ),
      );
      assert.equal(world.flexClosed.length, 1);
    });
  });

  it('closes an idle bot conversation without a case, and a message resets the idle clock', async () => {
    const world = new FakeSupportWorld({ search: refundSearch });
    // Margins wide enough for a loaded CI machine: the message must land well before the first reminder is due.
    const input = newSupportInput({ inactivityReminderSeconds: 4, inactivitySeconds: 6 });
    await withWorker(world.activities(), async (taskQueue) => {
      const started = Date.now();
      await openSupportConversation(client, { taskQueue, input });
      await new Promise((r) => setTimeout(r, 1000));
      await sendUserMessage(client, { taskQueue, input, event: userMessage('refund?') });
      const outcome = await client.workflow.getHandle(idOf(input)).result();
      const elapsed = Date.now() - started;
      assert.deepEqual(outcome, { closeReason: 'inactivity' });
      assert.ok(elapsed >= 7000, `the message at 1 s pushed the close past 7 s (closed after ${elapsed} ms)`);
      assert.equal(world.sent.filter((m) => m.text.startsWith('Are you still there?')).length, 1);
      assert.equal(world.cases.size, 0);
      assert.equal(world.sentOfKind('rating_prompt').length, 0);
    });
  });

  it('escalates when no agent joins within the SLA: expected wait, case and Flex priority', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput({ agentSlaSeconds: 2 });
    await withWorker(world.activities(), async (taskQueue) => {
      const { caseNumber } = await toWaitingForAgent(world, taskQueue, input);
      await eventually(() => assert.equal(world.escalations.length, 1), 10_000);
      assert.deepEqual(world.escalations[0], { interactionSid: `KD${caseNumber}`, priority: 100 });
      await eventually(() => assert.equal(world.caseView(caseNumber!).priority, 'high'));
      const notice = world.sent.find((m) => m.text.startsWith('All our agents are busy'));
      assert.ok(notice);
      assert.match(notice.text, /Expected wait: about 1 more minute\./);
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(world.escalations.length, 1, 'escalates once');
      await recordHistory(client, idOf(input), 'support-sla-escalation-v1');
    });
  });

  it('ignores duplicate events: the same message, agent message or close twice changes nothing', async () => {
    const world = new FakeSupportWorld({ search: refundSearch });
    const input = newSupportInput();
    await withWorker(world.activities(), async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      const question = userMessage('refund please');
      await sendUserMessage(client, { taskQueue, input, event: question });
      await sendUserMessage(client, { taskQueue, input, event: question });
      await sendUserAction(client, {
        workflowId: idOf(input),
        signal: 'requestHuman',
        event: { eventId: 'dup-h' },
      });
      await sendUserAction(client, {
        workflowId: idOf(input),
        signal: 'requestHuman',
        event: { eventId: 'dup-h' },
      });
      await eventually(() => assert.equal(world.handoffs.length, 1));
      const agentMessage = {
        kind: 'message' as const,
        eventId: 'IM-dup',
        agentIdentity: 'agent.cy',
        agentName: 'Cy',
        text: 'hello',
        attachments: [],
        sentAt: new Date().toISOString(),
      };
      await signalAgentEvent(client, { workflowId: idOf(input), event: agentMessage });
      await signalAgentEvent(client, { workflowId: idOf(input), event: agentMessage });
      await eventually(() => assert.equal(world.sentOfKind('agent_message').length, 1));
      assert.equal(world.searches.length, 1, 'one search for one message');
      assert.equal(world.sentOfKind('bot_answer').length, 1);
      assert.equal(world.cases.size, 1);
      assert.equal(
        world.sendAttempts.filter((m) => m.kind === 'agent_message').length,
        1,
        'the duplicate never reached an activity',
      );
      assert.equal(world.sent.filter((m) => m.text.startsWith('Cy from the support team')).length, 1);
    });
  });

  it('continues as new with its state: phase, case, agent and the seen event ids', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput();
    const workflowId = idOf(input);
    await withWorker(world.activities(), async (taskQueue) => {
      await client.workflow.start('supportConversationWorkflow', {
        taskQueue,
        workflowId,
        args: [{ ...input, continueAsNewAfterEvents: 2 }],
      });
      const firstRunId = (await client.workflow.getHandle(workflowId).describe()).runId;
      const early = userMessage('hello?');
      await sendUserMessage(client, { taskQueue, input, event: early });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('agent') });
      await eventually(() => assert.equal(world.handoffs.length, 1));
      await eventually(async () =>
        assert.notEqual((await client.workflow.getHandle(workflowId).describe()).runId, firstRunId),
      );
      const joined = {
        kind: 'joined' as const,
        eventId: 'MB-can',
        agentIdentity: 'agent.di',
        agentName: 'Di',
      };
      await signalAgentEvent(client, { workflowId, event: joined });
      await eventually(async () =>
        assert.equal((await getConversationState(client, workflowId)).phase, 'with_agent'),
      );

      // The second run's state came from the first: duplicates of events it saw before are still ignored.
      await sendUserMessage(client, { taskQueue, input, event: early });
      await signalAgentEvent(client, { workflowId, event: joined });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('after the restart') });
      await eventually(() => assert.equal(world.flexMessages.length, 1));
      const state = await getConversationState(client, workflowId);
      assert.equal(state.caseNumber, 1);
      assert.deepEqual(state.agent, { identity: 'agent.di', name: 'Di' });
      assert.equal(world.flexMessages[0]!.text, 'after the restart');
      assert.equal(world.sent.filter((m) => m.text.startsWith('Di from the support team')).length, 1);
      const description = await client.workflow.getHandle(workflowId).describe();
      assert.equal(description.typedSearchAttributes.get(CaseNumberKey), 1);
      assert.ok(description.raw.workflowExecutionInfo?.firstRunId, 'a chain of runs');
      assert.notEqual(description.runId, description.raw.workflowExecutionInfo?.firstRunId);
      await recordHistory(client, workflowId, 'support-continued-run-v1');
    });
  });

  it('moves to a private thread when the user has closed their DMs', async () => {
    const { ApplicationFailure } = await import('@temporalio/common');
    const world = new FakeSupportWorld({
      search: refundSearch,
      beforeSend: (message) => {
        if (message.channel.kind === 'dm') {
          throw ApplicationFailure.nonRetryable('Cannot send messages to this user', 'DiscordDmClosed');
        }
      },
    });
    const input = newSupportInput();
    await withWorker(world.activities(), async (taskQueue) => {
      const opened = await openSupportConversation(client, { taskQueue, input });
      // `/helpme` is answered after the greeting found the DMs closed, so it points at the thread.
      assert.deepEqual(opened.channel, { channelId: `thread-${input.user.userId}`, kind: 'thread' });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('refund') });
      await eventually(() => assert.equal(world.sentOfKind('bot_answer').length, 1));
      assert.deepEqual(world.channelsOpened, [{ preferThread: false }, { preferThread: true }]);
      assert.ok(world.sent.every((m) => m.channel.kind === 'thread'));
      assert.equal(world.sent.length, 2, 'greeting and answer, each once, in the thread');
      assert.equal(
        world.sendAttempts.filter((m) => m.channel.kind === 'dm').length,
        1,
        'a closed DM is not retried',
      );
      const state = await getConversationState(client, idOf(input));
      assert.deepEqual(state.channel, { channelId: `thread-${input.user.userId}`, kind: 'thread' });
      await recordHistory(client, idOf(input), 'support-dm-closed-thread-v2');
    });
  });

  it('retries a rate-limited send after the delay the adapter asked for, and posts once', async () => {
    const { ApplicationFailure } = await import('@temporalio/common');
    const world = new FakeSupportWorld({
      beforeSend: (_message, attempt) => {
        if (attempt === 1) {
          throw ApplicationFailure.create({
            message: '429 Too Many Requests',
            type: 'RateLimited',
            nextRetryDelay: '300ms',
          });
        }
      },
    });
    const input = newSupportInput();
    await withWorker(world.activities(), async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await eventually(() => assert.equal(world.sent.length, 1));
      assert.equal(world.sendAttempts.length, 2);
    });
  });

  it('keeps retrying a send through a long outage instead of dropping the message, and keeps the order', async () => {
    const { ApplicationFailure } = await import('@temporalio/common');
    const OUTAGE_ATTEMPTS = 12; // more than any fixed attempt count a relay used to give up after
    const world = new FakeSupportWorld({
      search: refundSearch,
      beforeSend: (_message, attempt) => {
        if (world.sendAttempts.length <= OUTAGE_ATTEMPTS && attempt <= OUTAGE_ATTEMPTS) {
          throw ApplicationFailure.create({ message: '503 Service Unavailable', nextRetryDelay: '20ms' });
        }
      },
    });
    const input = newSupportInput();
    await withWorker(world.activities(), async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('refund') });
      await eventually(() => assert.equal(world.sent.length, 2), 30_000);
      assert.deepEqual(
        world.sent.map((m) => m.kind),
        ['notice', 'bot_answer'],
        'the greeting, then the answer, each once',
      );
      assert.ok(world.sendAttempts.length > OUTAGE_ATTEMPTS);
    });
  });

  it('closes with flex_failed when the hand-over to Flex is rejected', async () => {
    const world = new FakeSupportWorld({ handToFlexFails: true });
    const input = newSupportInput({ ratingWindowSeconds: 1 });
    await withWorker(world.activities(), async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('real person') });
      const outcome = await client.workflow.getHandle(idOf(input)).result();
      assert.deepEqual(outcome, { caseNumber: 1, closeReason: 'flex_failed' });
      assert.equal(world.caseView(1).closeReason, 'flex_failed');
      assert.ok(world.sent.some((m) => m.text.startsWith("Sorry, we couldn't connect you")));
    });
  });

  it('starts a fresh conversation when the user comes back after a close', async () => {
    const world = new FakeSupportWorld();
    const input = newSupportInput();
    const workflowId = idOf(input);
    await withWorker(world.activities(), async (taskQueue) => {
      await toWaitingForAgent(world, taskQueue, input);
      await sendUserAction(client, { workflowId, signal: 'userClose', event: { eventId: 'close-r' } });
      await eventually(async () =>
        assert.equal((await getConversationState(client, workflowId)).phase, 'closed'),
      );

      const reopened = await openSupportConversation(client, { taskQueue, input });
      assert.equal(reopened.created, true);
      assert.equal(reopened.phase, 'bot');
      const state = await getConversationState(client, workflowId);
      assert.equal(state.caseNumber, undefined);
      await sendUserMessage(client, { taskQueue, input, event: userMessage('agent please') });
      await eventually(() => assert.equal(world.handoffs.length, 2));
      assert.equal(world.cases.size, 2, 'the second conversation has its own case');

      // The first case's rating is still welcome while its window is open.
      await sendUserAction(client, { workflowId, signal: 'rating', event: { eventId: 'rate-r', rating: 5 } });
      await eventually(() => assert.equal(world.caseView(1).rating, 5));

      // The "Talk to a human" button on an old message, after the second close, opens a third case.
      await sendUserAction(client, { workflowId, signal: 'userClose', event: { eventId: 'close-r2' } });
      await sendUserAction(client, { workflowId, signal: 'requestHuman', event: { eventId: 'human-r3' } });
      await eventually(() => assert.equal(world.handoffs.length, 3));
      assert.equal((await getConversationState(client, workflowId)).caseNumber, 3);

      await recordHistory(client, workflowId, 'support-reopen-v2');
    });
  });
});
