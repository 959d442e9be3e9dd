import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type Client } from '@temporalio/client';
import { createTwilioActivities } from '../../src/activities/twilio/activities';
import type {
  OutboundDiscordMessage,
  StartSupportInput,
  SupportTimings,
} from '../../src/shared/support-types';
import {
  getConversationState,
  openSupportConversation,
  sendUserAction,
} from '../../src/temporal/support-client';
import { eventually, supportInputFor } from './conversation-helpers';
import { testEnv } from './global-fixtures';
import { type TwilioHarness, nonTwilioStandIns } from './twilio-harness';
import { withWorker } from './worker';

/*
 * The start most Twilio end-to-end tests share: a fresh user opens a support conversation on a worker running the
 * real Flex activities (against the harness's fake) and the non-Twilio stand-ins, asks for a person, and Flex has
 * the task; optionally an agent accepts it.
 */

type DefaultStandIns = ReturnType<typeof nonTwilioStandIns>;
/** What a test may put in place of `nonTwilioStandIns()`: the non-Twilio activities and the Discord sends. */
interface StandIns {
  activities: DefaultStandIns['activities'];
  discord: OutboundDiscordMessage[];
}

export interface FlexConversationOptions<S extends StandIns> {
  /** Changes to QUIET_TIMINGS, such as a short reconciliation interval. */
  timings?: Partial<SupportTimings>;
  /** Accepts the Flex task; the conversation then waits until the workflow is `with_agent`. */
  agent?: { identity: string; name: string };
  /** The non-Twilio activities (default: a fresh `nonTwilioStandIns()`). */
  standIns?: S;
}

export interface FlexConversation<S extends StandIns> {
  client: Client;
  taskQueue: string;
  input: StartSupportInput;
  /** Unique to this conversation: its user is `u<suffix>`; further event ids can use it. */
  suffix: string;
  workflowId: string;
  /** The Twilio conversation the Flex task is for. */
  conversationSid: string;
  standIns: S;
  /** Agent messages relayed to Discord, every send attempt (a double relay shows). */
  agentMessages(): OutboundDiscordMessage[];
  agentTexts(): string[];
  phase(): Promise<string>;
}

/** Runs `body` on a fresh conversation handed to Flex (and accepted, with `agent`), while its worker runs. */
export async function withConversationInFlex<S extends StandIns = DefaultStandIns>(
  twilio: TwilioHarness,
  options: FlexConversationOptions<S>,
  body: (conversation: FlexConversation<S>) => Promise<void>,
): Promise<void> {
  const client = testEnv().client;
  // Without `standIns` the type parameter is its default, DefaultStandIns.
  const standIns = options.standIns ?? (nonTwilioStandIns() as StandIns as S);
  const suffix = randomUUID().slice(0, 8);
  const input = supportInputFor(suffix, options.timings);
  const workflowId = `support-${input.user.guildId}-${input.user.userId}`;
  const agentMessages = () => standIns.discord.filter((m) => m.kind === 'agent_message');
  const phase = async () => (await getConversationState(client, workflowId)).phase;

  await withWorker(
    { ...standIns.activities, ...createTwilioActivities(twilio.adapter) },
    async (taskQueue) => {
      await openSupportConversation(client, { taskQueue, input });
      await sendUserAction(client, {
        workflowId,
        signal: 'requestHuman',
        event: { eventId: `rh-${suffix}` },
      });
      const conversationSid = await eventually(() => {
        const task = [...twilio.fake.tasks.values()][0];
        assert.ok(task, 'a Flex task exists');
        return task.attributes.conversationSid as string;
      }, 20_000);
      if (options.agent) {
        await twilio.fake.agentAccepts(conversationSid, options.agent);
        await eventually(async () => assert.equal(await phase(), 'with_agent'));
      }
      await body({
        client,
        taskQueue,
        input,
        suffix,
        workflowId,
        conversationSid,
        standIns,
        agentMessages,
        agentTexts: () => agentMessages().map((m) => m.text),
        phase,
      });
    },
  );
}

/** The agent the Twilio end-to-end tests hand conversations to (a Flex identity, as Twilio encodes an email). */
export const ALICE = { identity: 'alice_40example_2Ecom', name: 'Alice Example' };
