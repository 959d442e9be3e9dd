import assert from 'node:assert/strict';
import { type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { supportWorkflowId, type StartSupportInput } from '../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserMessage,
} from '../src/temporal/support-client';
import { type FakeSupportOptions, FakeSupportWorld } from './fakes/support-activities';
import { eventually, newSupportInput, userMessage } from './support/conversation-helpers';
import { testEnv } from './support/global-fixtures';
import { recordHistory } from './support/histories';
import { withWorker } from './support/worker';

/*
 * When no agent joins within the SLA, the user hears the wait TaskRouter's live figures give (estimateAgentWait),
 * after the task's priority is raised; when the estimate fails or knows nothing, the SLA-based wording as before.
 */
describe('support conversation: SLA notice with the live wait from Flex', function () {
  this.timeout(60_000);
  let client: Client;
  before(() => {
    client = testEnv().client;
  });

  const idOf = (input: StartSupportInput) => supportWorkflowId(input.user.guildId, input.user.userId);

  /** Waits for an agent with a 2-second SLA (rounded up to "1 minute" by the old wording), until the notice. */
  async function slaNotice(options: FakeSupportOptions, record?: string) {
    const world = new FakeSupportWorld(options);
    const input = newSupportInput({ agentSlaSeconds: 2 });
    return withWorker(world.activities(), async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
      await eventually(async () =>
        assert.equal((await getConversationState(client, idOf(input))).phase, 'waiting_for_agent'),
      );
      const notice = await eventually(() => {
        const found = world.sent.find((m) => m.text.startsWith('All our agents are busy'));
        assert.ok(found);
        return found;
      }, 15_000);
      await eventually(() => assert.equal(world.caseView(1).priority, 'high'));
      if (record) await recordHistory(client, idOf(input), record);
      return { world, notice };
    });
  }

  it('quotes the estimate and the place in line, asked after the priority is raised', async () => {
    const { world, notice } = await slaNotice(
      { waitEstimate: () => ({ seconds: 7 * 60 + 10, position: 3 }) },
      'support-sla-live-wait-v1',
    );
    assert.equal(
      notice.text,
      "All our agents are busy right now, sorry for the wait. You're number 3 in line. " +
        "Expected wait: about 8 more minutes. We've raised the priority of your case.",
    );
    assert.deepEqual(world.waitEstimateCalls, [{ interactionSid: 'KD1' }]);
    assert.deepEqual(world.escalations, [{ interactionSid: 'KD1', priority: 100 }]);
  });

  it('says "next in line" for the first place', async () => {
    const { notice } = await slaNotice({ waitEstimate: () => ({ seconds: 30, position: 1 }) });
    assert.match(notice.text, /You're next in line\. Expected wait: about 1 more minute\./);
  });

  it('falls back to the SLA-based wording when the estimate fails', async () => {
    const { world, notice } = await slaNotice({
      waitEstimate: () => {
        throw ApplicationFailure.nonRetryable('TaskRouter said no', 'BadRequest');
      },
    });
    assert.equal(world.waitEstimateCalls.length, 1);
    assert.match(notice.text, /busy right now, sorry for the wait\. Expected wait: about 1 more minute\./);
  });

  it('falls back to the SLA-based wording when the estimate has no seconds', async () => {
    const { notice } = await slaNotice({ waitEstimate: () => ({ position: 4 }) });
    assert.doesNotMatch(notice.text, /in line/);
    assert.match(notice.text, /Expected wait: about 1 more minute\./);
  });
});
