import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createCaseActivities } from '../src/activities/cases/activities';
import { createKbActivities } from '../src/activities/kb/activities';
import { FileKnowledgeBase } from '../src/activities/kb/file-knowledge-base';
import { openCaseDatabase, SqlCaseStore, type CaseDatabase } from '../src/cases';
import { supportWorkflowId } from '../src/shared/support-types';
import {
  openSupportConversation,
  sendUserAction,
  sendUserMessage,
  signalAgentEvent,
} from '../src/temporal/support-client';
import { FakeSupportWorld } from './fakes/support-activities';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { withWorker } from './support/worker';

/*
 * The support workflow with the real knowledge base (the sample articles) and the real case store (SQLite in a
 * temporary folder); Discord and Flex are the in-memory fakes. Shows that what the bot answers and what staff later
 * read in the case come out of the same conversation.
 */
describe('support conversation with the real knowledge base and case store', function () {
  this.timeout(60_000);
  let database: CaseDatabase;
  let store: SqlCaseStore;
  let knowledgeBase: FileKnowledgeBase;

  before(async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'flexcord-support-'));
    database = await openCaseDatabase({ sqliteFile: path.join(dir, 'cases.sqlite') });
    store = new SqlCaseStore(database.db);
    knowledgeBase = await FileKnowledgeBase.open({ dir: path.resolve(__dirname, '..', 'knowledge-base') });
  });
  after(async () => {
    await knowledgeBase.close();
    await database.close();
  });

  it('answers from the articles, opens a stored case, records the agent chat, the close and the rating', async () => {
    const { client } = testEnv();
    const world = new FakeSupportWorld();
    const activities = {
      ...world.activities(),
      ...createCaseActivities({ caseStore: store }),
      ...createKbActivities({ knowledgeBase }),
    };
    const input = newSupportInput();
    const workflowId = supportWorkflowId(input.user.guildId, input.user.userId);

    await withWorker(activities, async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('I forgot my password') });
      await eventually(() => assert.equal(world.sentOfKind('bot_answer').length, 1));
      const answer = world.sentOfKind('bot_answer')[0]!;
      assert.equal(answer.articles![0]!.id, 'account/reset-password.md');
      assert.equal(answer.articles![0]!.title, 'Resetting your password');

      await sendUserMessage(client, {
        taskQueue,
        input,
        event: userMessage('the email never comes, talk to a human'),
      });
      await eventually(() => assert.equal(world.handoffs.length, 1));
      const caseNumber = world.handoffs[0]!.caseNumber;

      await signalAgentEvent(client, {
        workflowId,
        event: { kind: 'joined', eventId: 'MB-int', agentIdentity: 'agent.eve', agentName: 'Eve' },
      });
      await signalAgentEvent(client, {
        workflowId,
        event: {
          kind: 'message',
          eventId: 'IM-int-1',
          agentIdentity: 'agent.eve',
          agentName: 'Eve',
          text: 'I sent a new reset link.',
          attachments: [],
          sentAt: new Date().toISOString(),
        },
      });
      await eventually(() => assert.equal(world.sentOfKind('agent_message').length, 1));
      await sendUserAction(client, { workflowId, signal: 'userClose', event: { eventId: 'int-close' } });
      await eventually(() => assert.equal(world.sentOfKind('rating_prompt').length, 1));
      await sendUserAction(client, {
        workflowId,
        signal: 'rating',
        event: { eventId: 'int-rate', rating: 5 },
      });
      await client.workflow.getHandle(workflowId).result();

      const stored = await store.getCase(caseNumber);
      assert.ok(stored);
      assert.equal(stored.status, 'closed');
      assert.equal(stored.closeReason, 'user_closed');
      assert.equal(stored.rating, 5);
      assert.equal(stored.assignedAgent, 'agent.eve');
      assert.equal(stored.reporter.discordId, input.user.userId);
      assert.equal(stored.title, 'I forgot my password');
      assert.equal(stored.twilio.conversationSid, `CH${String(caseNumber).padStart(32, '0')}`);
      assert.equal(stored.twilio.interactionSid, `KD${caseNumber}`);
      const kinds = stored.transcript.map((e) => `${e.authorKind}:${e.text.split('\n')[0]}`);
      assert.deepEqual(kinds.slice(0, 3), [
        'user:I forgot my password',
        'bot:These articles look like a match for your question:',
        'user:the email never comes, talk to a human',
      ]);
      assert.ok(kinds.includes('agent:I sent a new reset link.'));
      assert.ok(kinds.some((k) => k.startsWith('system:You closed this conversation.')));
      assert.deepEqual(
        stored.events.map((e) => e.action).filter((a) => a !== 'opened' && a !== 'created'),
        ['handed_to_flex', 'flex_task_created', 'agent_joined', 'closed', 'rated'],
      );
    });
  });
});
