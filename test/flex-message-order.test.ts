import assert from 'node:assert/strict';
import { sendUserMessage } from '../src/temporal/support-client';
import { eventually } from './support/conversation-helpers';
import { ALICE, withConversationInFlex } from './support/flex-conversation';
import { recordHistory } from './support/histories';
import { twilioHarnessForEachTest } from './support/twilio-harness';

/*
 * Found by `npm run chaos`: an agent's reply whose webhook Twilio lost reached Discord after the replies that came
 * after it, once reconciliation found it. Twilio numbers a conversation's messages (Index), so a reply whose
 * number skips one the workflow has not seen says that one is missing: it must be read and relayed first.
 */
const AUTH_TOKEN = 'ord0c0ffee0c0ffee0c0ffee0c0ffee0';

describe('agent replies reach Discord in the order the agent wrote them', function () {
  this.timeout(90_000);
  const twilio = twilioHarnessForEachTest(AUTH_TOKEN);

  it('relays a reply whose webhook was lost before the reply after it, once each', async () => {
    const { fake } = twilio;
    // Reconciliation would find the lost reply within seconds, but only after the next one went out.
    const timings = { flexReconcileSeconds: 3, flexReconcileMaxSeconds: 3 };
    await withConversationInFlex(twilio, { timings, agent: ALICE }, async (conversation) => {
      const { client, taskQueue, input, suffix, workflowId, conversationSid, agentTexts } = conversation;

      // Customer and agent take turns, as in any conversation, before the webhook is lost.
      await sendUserMessage(client, {
        taskQueue,
        input,
        event: {
          eventId: `m1-${suffix}`,
          text: 'The launcher crashes.',
          attachments: [],
          sentAt: new Date().toISOString(),
        },
      });
      await eventually(() =>
        assert.ok(
          fake.conversation(conversationSid).messages.some((m) => m.body === 'The launcher crashes.'),
        ),
      );
      await fake.agentReplies(conversationSid, 'Which version?');
      await eventually(() => assert.deepEqual(agentTexts(), ['Which version?']));

      fake.dropWebhooks(1);
      const lost = await fake.agentReplies(conversationSid, 'Please reinstall the graphics driver.');
      assert.equal(fake.deliveries.find((d) => d.params.MessageSid === lost.sid)?.outcome, 'dropped');
      await fake.agentReplies(conversationSid, 'Then restart the launcher.');

      await eventually(() => assert.equal(agentTexts().length, 3), 20_000);
      assert.deepEqual(agentTexts(), [
        'Which version?',
        'Please reinstall the graphics driver.',
        'Then restart the launcher.',
      ]);
      // Reconciliation reads again afterwards and finds nothing to relay twice.
      const reads = () =>
        fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`${conversationSid}/Messages`))
          .length;
      const readsBefore = reads();
      await eventually(
        () => assert.ok(reads() >= readsBefore + 1, 'another read of the conversation'),
        20_000,
      );
      assert.equal(agentTexts().length, 3, 'nothing relayed twice');
      await recordHistory(client, workflowId, 'support-flex-message-order-v1');
    });
  });

  it('relays a reply found by reconciliation before the reply whose webhook arrived during that read', async () => {
    const { fake } = twilio;
    const timings = { flexReconcileSeconds: 2, flexReconcileMaxSeconds: 2 };
    await withConversationInFlex(twilio, { timings, agent: ALICE }, async (conversation) => {
      const { client, workflowId, conversationSid, agentTexts } = conversation;
      await fake.agentReplies(conversationSid, 'Which version?');
      await eventually(() => assert.deepEqual(agentTexts(), ['Which version?']), 20_000);

      // A reply whose webhook is lost; then the next periodic read is slow, and while it is in flight the agent
      // writes again and that webhook arrives: the read finds both.
      fake.dropWebhooks(1);
      await fake.agentReplies(conversationSid, 'Please reinstall the graphics driver.');
      fake.fail({ match: { method: 'GET', path: /\/Messages$/ }, delayMs: 3000 });
      await eventually(
        () => assert.equal(fake.faults.pending, 0, 'a read of the messages is in flight'),
        20_000,
      );
      await fake.agentReplies(conversationSid, 'Then restart the launcher.');

      await eventually(() => assert.equal(agentTexts().length, 3), 20_000);
      assert.deepEqual(agentTexts(), [
        'Which version?',
        'Please reinstall the graphics driver.',
        'Then restart the launcher.',
      ]);
      await recordHistory(client, workflowId, 'support-flex-reconcile-order-v1');
    });
  });

  // Found by `npm run chaos` (20% of Twilio requests failing): the read for a lost reply failed three quick times,
  // the reply after it went out first, and reconciliation brought the lost one later.
  it('relays a reply whose webhook was lost before the next one even when reading Flex fails three times', async () => {
    const { fake } = twilio;
    // No periodic read during the test: only the read for the gap can find the lost reply in time.
    const timings = { flexReconcileSeconds: 60, flexReconcileMaxSeconds: 60 };
    await withConversationInFlex(twilio, { timings, agent: ALICE }, async (conversation) => {
      const { client, workflowId, conversationSid, agentTexts } = conversation;
      await fake.agentReplies(conversationSid, 'Which version?');
      await eventually(() => assert.deepEqual(agentTexts(), ['Which version?']), 20_000);

      fake.dropWebhooks(1);
      await fake.agentReplies(conversationSid, 'Please reinstall the graphics driver.');
      // Twilio answers the next three reads of the messages with a server error, as under heavy failure rates.
      fake.fail({ match: { method: 'GET', path: /\/Messages$/ }, status: 503, times: 3 });
      await fake.agentReplies(conversationSid, 'Then restart the launcher.');

      await eventually(() => assert.ok(agentTexts().includes('Then restart the launcher.')), 40_000);
      assert.equal(fake.faults.pending, 0, 'all three failing reads happened');
      assert.deepEqual(agentTexts(), [
        'Which version?',
        'Please reinstall the graphics driver.',
        'Then restart the launcher.',
      ]);
      await recordHistory(client, workflowId, 'support-flex-gap-read-v1');
    });
  });
});
