import assert from 'node:assert/strict';
import { eventually } from './support/conversation-helpers';
import { ALICE, withConversationInFlex } from './support/flex-conversation';
import { twilioHarnessForEachTest } from './support/twilio-harness';

/*
 * Issue 4, dropped webhooks, end to end: the real Flex activities against the Twilio fake, the real webhook router,
 * and the fake losing the agent's reply and every webhook of the close, as Twilio does when our webhook server is
 * down (it does not redeliver). Reconciliation (every second here) must still bring the reply to Discord, once,
 * and close the case.
 */

const AUTH_TOKEN = 'rec0c0ffee0c0ffee0c0ffee0c0ffee0';

describe('Twilio Flex end to end: lost webhooks are made up by reconciliation', function () {
  this.timeout(120_000);
  const twilio = twilioHarnessForEachTest(AUTH_TOKEN);

  it('relays a reply whose webhook was lost exactly once, and closes when every close webhook was lost', async () => {
    const { fake } = twilio;
    const timings = { flexReconcileSeconds: 1 };
    // The agent joins while the webhook server is up: the join and TaskRouter's full name arrive.
    await withConversationInFlex(twilio, { timings, agent: ALICE }, async (conversation) => {
      const { conversationSid, agentMessages, phase } = conversation;
      const { discord, caseChanges } = conversation.standIns;

      // The webhook server is down when the agent replies: Twilio's webhook is lost for good.
      fake.dropWebhooks(1);
      const lost = await fake.agentReplies(conversationSid, 'Please reinstall the graphics driver.');
      assert.equal(fake.deliveries.find((d) => d.params.MessageSid === lost.sid)?.outcome, 'dropped');
      await eventually(() => assert.equal(agentMessages().length, 1), 20_000);
      assert.equal(agentMessages()[0]!.text, 'Please reinstall the graphics driver.');
      assert.equal(agentMessages()[0]!.dedupeKey, lost.sid);
      assert.equal(agentMessages()[0]!.agentName, 'Alice Example', 'the name TaskRouter gave is kept');

      // Back up: the next reply arrives by webhook and is also listed at the next reads; it is relayed once.
      const delivered = await fake.agentReplies(conversationSid, 'Did that help?');
      assert.equal(fake.deliveries.find((d) => d.params.MessageSid === delivered.sid)?.outcome, 200);
      const reads = () =>
        fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`${conversationSid}/Messages`))
          .length;
      const readsBefore = reads();
      await eventually(() => assert.ok(reads() >= readsBefore + 2, 'two more reads of the conversation'));
      assert.deepEqual(
        agentMessages().map((m) => m.text),
        ['Please reinstall the graphics driver.', 'Did that help?'],
      );

      // Down again for the close: TaskRouter's wrap-up and completion and the conversation's close are all lost.
      const deliveriesBefore = fake.deliveries.length;
      fake.dropWebhooks(3);
      await fake.agentCloses(conversationSid);
      assert.deepEqual(
        fake.deliveries.slice(deliveriesBefore).map((d) => d.outcome),
        ['dropped', 'dropped', 'dropped'],
      );
      await eventually(async () => {
        assert.equal(await phase(), 'closed');
        assert.ok(caseChanges.some((c) => c.status === 'closed' && c.closeReason === 'agent_closed'));
        // Reads back off to 8 s (+20% jitter) while they find nothing; a loaded CI machine needed more than 20 s.
      }, 45_000);
      await eventually(() =>
        assert.ok(
          discord.some((m) => m.kind === 'rating_prompt'),
          'the user is asked for a rating',
        ),
      );
      assert.equal(agentMessages().length, 2, 'nothing relayed twice');
    });
  });
});
