import assert from 'node:assert/strict';
import { getConversationState, sendUserAction } from '../src/temporal/support-client';
import { eventually } from './support/conversation-helpers';
import { withConversationInFlex } from './support/flex-conversation';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { type nonTwilioStandIns, twilioHarnessForEachTest } from './support/twilio-harness';

/*
 * Issue 9 item 3, end to end: one agent is one agent. The same person seen by TaskRouter under their worker name and
 * by Conversations under their identity, a supervisor writing between the agent's messages, a transfer there and
 * back: each person is announced to the user once, with one case update.
 */
const AUTH_TOKEN = 'once0c0ffee0c0ffee0c0ffee0c0ffee';
const alice = { identity: 'alice_40example_2Ecom', name: 'Alice Example' };
const bob = { identity: 'bob_40example_2Ecom', name: 'Bob Builder' };
const sam = { identity: 'sam_2Esupervisor_40example_2Ecom' };
type StandIns = ReturnType<typeof nonTwilioStandIns>;

describe('Twilio Flex end to end: each agent is announced once', function () {
  this.timeout(120_000);
  const twilio = twilioHarnessForEachTest(AUTH_TOKEN);

  /** A conversation handed to Flex, nobody on it yet; each test has the agents join its own way. */
  async function handedOver(
    body: (ctx: { sid: string; standIns: StandIns; workflowId: string }) => Promise<void>,
  ) {
    await withConversationInFlex(twilio, {}, ({ conversationSid, standIns, workflowId }) =>
      body({ sid: conversationSid, standIns, workflowId }),
    );
  }

  /** Agent replies, in order, each waited for in Discord so the events before it have been handled. */
  async function replies(sid: string, standIns: StandIns, lines: [string, string][]) {
    for (const [identity, text] of lines) {
      await twilio.fake.agentReplies(sid, text, identity);
      await eventually(() =>
        assert.ok(
          standIns.discord.some((m) => m.text === text),
          `relayed: ${text}`,
        ),
      );
    }
  }

  const announcements = (standIns: StandIns) =>
    standIns.discord
      .filter((m) => m.kind === 'notice')
      .map((m) => m.text)
      .filter((t) => t.includes('joined the conversation') || t.startsWith("You're now talking with"));
  const joinUpdates = (standIns: StandIns) => standIns.caseUpdates.filter((u) => u.action === 'agent_joined');

  it('an agent TaskRouter knows by worker name and Conversations by identity is announced once', async () => {
    await handedOver(async ({ sid, standIns, workflowId }) => {
      // No contact_uri on the worker: TaskRouter's event names alice@example.com, Conversations alice_40example_2Ecom.
      await twilio.fake.agentAccepts(sid, { ...alice, workerName: 'alice@example.com', contactUri: false });
      await twilio.fake.settle();
      await replies(sid, standIns, [[alice.identity, 'Hi, I am looking into it.']]);
      assert.equal(announcements(standIns).length, 1, JSON.stringify(announcements(standIns)));
      assert.equal(joinUpdates(standIns).length, 1, 'one case update for the join');
      assert.equal((await getConversationState(testEnv().client, workflowId)).phase, 'with_agent');
    });
  });

  it('a supervisor writing between the agent and the user is announced once, and the agent never again', async () => {
    await handedOver(async ({ sid, standIns }) => {
      await twilio.fake.agentAccepts(sid, alice);
      await replies(sid, standIns, [[alice.identity, 'Let me ask my supervisor.']]);
      await twilio.fake.supervisorJoins(sid, sam);
      await replies(sid, standIns, [
        [sam.identity, 'Hello, I am Sam, the team lead.'],
        [alice.identity, 'Sam will approve the refund.'],
        [sam.identity, 'Approved.'],
        [alice.identity, 'Done, anything else?'],
      ]);
      assert.equal(announcements(standIns).length, 2, JSON.stringify(announcements(standIns)));
      assert.equal(joinUpdates(standIns).length, 2);
    });
  });

  it('a transfer to another agent and back announces each agent once', async () => {
    await handedOver(async ({ sid, standIns, workflowId }) => {
      await twilio.fake.agentAccepts(sid, alice);
      await replies(sid, standIns, [[alice.identity, 'Passing you to billing.']]);
      await twilio.fake.agentTransfers(sid, { to: bob });
      await replies(sid, standIns, [[bob.identity, 'Billing here, one moment.']]);
      await twilio.fake.agentTransfers(sid, { to: alice, warm: true });
      await replies(sid, standIns, [
        [alice.identity, 'Back with me now.'],
        [bob.identity, 'Bye from billing.'],
      ]);
      assert.deepEqual(
        announcements(standIns).map((t) =>
          t.replace(/Alice Example|alice/, 'Alice').replace(/Bob Builder|bob/, 'Bob'),
        ),
        ['Alice from the support team joined the conversation.', "You're now talking with Bob."],
      );
      assert.equal(joinUpdates(standIns).length, 2);

      const client = testEnv().client;
      await twilio.fake.agentCloses(sid);
      await eventually(async () =>
        assert.equal((await getConversationState(client, workflowId)).phase, 'closed'),
      );
      await sendUserAction(client, {
        workflowId,
        signal: 'rating',
        event: { eventId: `rate-${sid}`, rating: 5 },
      });
      await client.workflow.getHandle(workflowId).result();
      await recordHistory(client, workflowId, 'support-agent-once-v1');
    });
  });
});
