import assert from 'node:assert/strict';
import { type Client } from '@temporalio/client';
import { createDiscordActivities } from '../../src/activities/discord/activities';
import { createDiscordRest, DiscordRestPort } from '../../src/activities/discord/discord-rest-port';
import { type FakeChannel, type FakeDiscord } from '../../src/sandbox/discord';
import { supportWorkflowId, type StartSupportInput } from '../../src/shared/support-types';
import {
  type AgentEvent,
  getConversationState,
  openSupportConversation,
  sendUserMessage,
} from '../../src/temporal/support-client';
import { type FakeSupportWorld } from '../fakes/support-activities';
import { eventually, QUIET_TIMINGS, userMessage } from './conversation-helpers';
import { testEnv } from './global-fixtures';
import { withWorker } from './worker';

/** Stops a test's Discord fake, failing the test if a request broke Discord's spec or the fake did not understand it. */
export async function stopCheckingTraffic(discord: FakeDiscord): Promise<void> {
  try {
    assert.deepEqual(discord.checker.violations, []);
    assert.deepEqual(discord.unhandled, []);
  } finally {
    await discord.stop();
  }
}

/**
 * Ana of Acme asks for a person in her DM, on a worker running the real Discord activities against `discord` and
 * `world`'s other activities; `body` runs once the workflow waits for an agent and the DM says the case is open.
 */
export async function withDmWaitingForAgent(
  discord: FakeDiscord,
  world: FakeSupportWorld,
  body: (ctx: { client: Client; workflowId: string; dm: FakeChannel }) => Promise<void>,
): Promise<void> {
  const client = testEnv().client;
  const guildId = discord.addGuild('Acme').guild.id;
  const ana = discord.addUser('ana');
  discord.addMember(guildId, ana.id);
  const port = new DiscordRestPort(createDiscordRest({ token: discord.token, apiUrl: discord.apiUrl }));
  const activities = { ...world.activities(), ...createDiscordActivities(port) };
  const input: StartSupportInput = {
    user: { guildId, userId: ana.id, userName: 'ana' },
    timings: QUIET_TIMINGS,
    preferThread: false,
  };
  const workflowId = supportWorkflowId(guildId, ana.id);
  const dm = discord.dmChannelFor(ana.id);

  await withWorker(activities, async (taskQueue) => {
    await openSupportConversation(client, { taskQueue, input });
    await sendUserMessage(client, { taskQueue, input, event: userMessage('talk to a human please') });
    await eventually(async () =>
      assert.equal((await getConversationState(client, workflowId)).phase, 'waiting_for_agent'),
    );
    await eventually(() => assert.ok(discord.messagesIn(dm.id).some((m) => /Case #1/.test(m.content))));
    await body({ client, workflowId, dm });
  });
}

/** Agent Dana's Flex message `IM0001`, sent now. */
export function danasMessage(text: string): AgentEvent {
  return {
    kind: 'message',
    eventId: 'IM0001',
    agentIdentity: 'dana',
    agentName: 'Dana',
    text,
    attachments: [],
    sentAt: new Date().toISOString(),
  };
}
