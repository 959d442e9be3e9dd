import assert from 'node:assert/strict';
import { openCaseStore } from '../src/cases';
import { MAX_MAPPED_MESSAGES, remember } from '../src/workflows/support/message-map';
import { supportWorkflowId } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserMessage,
  sendUserMessageChange,
  signalAgentEvent,
} from '../src/temporal/support-client';
import { FakeSupportWorld } from './fakes/support-activities';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import {
  acmeWithAna,
  flexcordForEachTest,
  handedToFlexThroughDiscord,
} from './support/e2e/flexcord-per-test';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

describe('edits and deletions, both ways', function () {
  this.timeout(120_000);

  it('keeps the message map bounded, newest last, one entry per message', () => {
    let list: [string, string[]][] = [];
    for (let i = 0; i < MAX_MAPPED_MESSAGES + 10; i++) list = remember(list, `m${i}`, [`d${i}`]);
    list = remember(list, 'm20', ['again']);
    assert.equal(list.length, MAX_MAPPED_MESSAGES);
    assert.equal(list[0]![0], 'm10', 'the oldest went first');
    assert.deepEqual(list.at(-1), ['m20', ['again']]);
  });

  it('still finds what a message became after continue-as-new', async () => {
    const world = new FakeSupportWorld();
    const input = { ...newSupportInput(), continueAsNewAfterEvents: 4 };
    const { client } = testEnv();
    const workflowId = supportWorkflowId(input.user.guildId, input.user.userId);
    await withWorker(world.activities(), async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human') });
      await eventually(() => assert.equal(world.handoffs.length, 1));
      const original = userMessage('my order 123 never arrived');
      await sendUserMessage(client, { taskQueue, input, event: original });
      await eventually(() => assert.equal(world.flexMessages.length, 1));
      // Enough events for the conversation to continue as new more than once.
      for (let i = 0; i < 9; i++)
        await sendUserMessage(client, { taskQueue, input, event: userMessage(`more ${i}`) });
      await eventually(() => assert.equal(world.flexMessages.length, 10));
      await sendUserMessageChange(client, {
        workflowId,
        change: {
          kind: 'edited',
          event: {
            eventId: `${original.eventId}:edited:t1`,
            messageId: original.eventId,
            text: 'my order 124 never arrived',
            editedAt: new Date().toISOString(),
          },
        },
      });
      await eventually(() =>
        assert.deepEqual(world.revisions, [
          { what: 'edit flex', ids: [`IM-${original.eventId}`], text: 'my order 124 never arrived' },
        ]),
      );
      // A change to a message the user never sent here (a staff member's in the thread) changes nothing.
      await sendUserMessageChange(client, {
        workflowId,
        change: { kind: 'deleted', event: { eventId: 'other:deleted', messageId: 'other' } },
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(world.revisions.length, 1);
    });
    const runs: string[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(w.runId);
    assert.ok(runs.length > 1, `the conversation continued as new (${runs.length} runs)`);
  });

  describe('end to end (Discord fake ⇄ flexcord ⇄ Twilio fake)', () => {
    const flexcord = flexcordForEachTest();

    it("follows a user's edit and deletion into Flex and an agent's into Discord, marks the transcript, and applies each once", async () => {
      const discord = await flexcord.startDiscord();
      const { acme, ana } = acmeWithAna(discord);
      const system = await flexcord.startSystem({ SUPPORT_AGENT_SLA_SECONDS: '3600' });
      const { twilio, ctx } = system;
      const dm = discord.dmChannelFor(ana);
      const { workflowId, conversationSid } = await handedToFlexThroughDiscord(discord, system, acme, ana, {
        agent: { identity: 'sam', name: 'Sam Agent' },
      });
      const conversation = twilio.conversation(conversationSid);
      const fromCustomer = () => conversation.messages.filter((m) => m.author.startsWith('discord:'));

      // The user edits a message: the same Conversations message now says the new text.
      const typo = discord.userSendsDm(ana, 'My order 123 never arrived');
      await eventually(() => assert.equal(fromCustomer().at(-1)?.body, 'My order 123 never arrived'));
      const relayed = fromCustomer().at(-1)!;
      discord.userEditsMessage(typo, 'My order 124 never arrived');
      await eventually(() => assert.equal(relayed.body, 'My order 124 never arrived'));
      assert.equal(fromCustomer().length, 1, 'edited in place, not posted again');

      // The user deletes a message with a file: its text and its file message both go.
      const withFile = discord.userSendsDm(ana, 'see the screenshot', [
        { filename: 'shot.png', contentType: 'image/png', content: Buffer.from('png') },
      ]);
      await eventually(() => assert.equal(fromCustomer().length, 3));
      discord.userDeletesMessage(withFile);
      await eventually(() =>
        assert.deepEqual(
          fromCustomer().map((m) => m.body),
          ['My order 124 never arrived'],
        ),
      );

      // The agent edits a reply: the Discord message shows the new text; then removes another: it is gone.
      const reply = await twilio.agentReplies(conversationSid, 'Try restarting');
      const posted = await discord.waitForMessage(dm.id, (m) => /Try restarting/.test(m.content));
      await twilio.agentEdits(conversationSid, reply.sid, 'Try restarting the app, then log in again');
      await eventually(() =>
        assert.match(
          discord.messagesIn(dm.id).find((m) => m.id === posted.id)?.content ?? '',
          /\*\*Sam Agent\*\* \(support\): Try restarting the app, then log in again/,
        ),
      );
      const oops = await twilio.agentReplies(conversationSid, 'Wrong customer, sorry');
      const wrong = await discord.waitForMessage(dm.id, (m) => /Wrong customer/.test(m.content));
      await twilio.agentRemoves(conversationSid, oops.sid);
      await eventually(() => assert.ok(!discord.messagesIn(dm.id).some((m) => m.id === wrong.id)));

      // The same Flex edit delivered again (a redelivery) edits nothing more.
      const patches = () =>
        discord.requestLog.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/messages/${posted.id}`))
          .length;
      const before = patches();
      const caseNumber = (await getConversationState(ctx.client, workflowId)).caseNumber!;
      const edited = {
        kind: 'edited' as const,
        eventId: `${reply.sid}:updated:again`,
        messageSid: reply.sid,
        agentIdentity: 'sam',
        agentName: 'Sam Agent',
        text: 'Try restarting the app, then log in again',
        attachments: [],
        editedAt: new Date().toISOString(),
        conversationSid,
      };
      await signalAgentEvent(ctx.client, { workflowId, event: edited });
      await signalAgentEvent(ctx.client, { workflowId, event: edited });

      // The transcript keeps what was first said and marks each change.
      const cases = await openCaseStore(system.config);
      try {
        const transcript = await eventually(async () => {
          const t = (await cases.store.getCase(caseNumber))!.transcript;
          assert.ok(t.some((e) => e.entryId === edited.eventId));
          return t;
        });
        const marks = transcript
          .filter((e) => e.revises)
          .map((e) => [e.authorKind, e.revises!.kind, e.revises!.entryId, e.text]);
        assert.deepEqual(marks, [
          ['user', 'edited', typo.id, 'My order 124 never arrived'],
          ['user', 'deleted', withFile.id, ''],
          ['agent', 'edited', reply.sid, 'Try restarting the app, then log in again'],
          ['agent', 'deleted', oops.sid, ''],
          ['agent', 'edited', reply.sid, 'Try restarting the app, then log in again'],
        ]);
        assert.ok(transcript.some((e) => e.entryId === typo.id && e.text === 'My order 123 never arrived'));
      } finally {
        await cases.close();
      }
      assert.equal(patches(), before + 1, 'the duplicate signal changed nothing');
      assert.deepEqual(twilio.specViolations, []);
      await recordHistory(ctx.client, workflowId, 'support-message-revisions-v1');
    });
  });
});
