import assert from 'node:assert/strict';
import { type Observability } from '../../../src/observability';
import { FakeDiscord, type FakeDiscordOptions, type FakeMessage } from '../../../src/sandbox/discord';
import { type FakeTwilio } from '../../../src/sandbox/twilio/fake-twilio';
import { supportWorkflowId } from '../../../src/shared/support-types';
import { getConversationState } from '../../../src/temporal/support-client';
import { eventually, type FlexcordSystem, startFlexcordSystem } from './flexcord-system';

/*
 * What the tests of the whole of flexcord (startFlexcordSystem against the Discord and Twilio fakes) share: a
 * Discord fake and a system per test, stopped afterwards; the guild Acme with its member Ana; a user handed to Flex
 * through the bot.
 */

export interface FlexcordPerTest {
  /** Starts this test's Discord fake; after the test it is stopped (and its traffic checked). */
  startDiscord(options?: FakeDiscordOptions): Promise<FakeDiscord>;
  /** Starts flexcord against this test's Discord fake; after the test it is stopped first. */
  startSystem(env?: Record<string, string>, observability?: Observability): Promise<FlexcordSystem>;
}

/**
 * Registers, in the calling `describe`, the hook that stops each test's system and Discord fake. Unless
 * `checkDiscordTraffic` is false it also fails the test if a Discord request broke the OpenAPI spec or the fake did
 * not understand it. `onFailure` runs first when the test failed (to print what happened).
 */
export function flexcordForEachTest(
  options: {
    checkDiscordTraffic?: boolean;
    onFailure?: (discord: FakeDiscord, system: FlexcordSystem) => void;
  } = {},
): FlexcordPerTest {
  let discord: FakeDiscord | undefined;
  let system: FlexcordSystem | undefined;
  afterEach(async function () {
    const [d, s] = [discord, system];
    [discord, system] = [undefined, undefined];
    if (this.currentTest?.state === 'failed' && d && s) options.onFailure?.(d, s);
    await s?.stop();
    if (!d) return;
    try {
      if (options.checkDiscordTraffic !== false) {
        assert.deepEqual(d.checker.violations, []);
        assert.deepEqual(d.unhandled, []);
      }
    } finally {
      await d.stop();
    }
  });
  return {
    async startDiscord(fakeOptions) {
      discord = await new FakeDiscord(fakeOptions).start();
      return discord;
    },
    async startSystem(env, observability) {
      assert.ok(discord, 'startDiscord first');
      system = await startFlexcordSystem(discord, env, observability);
      return system;
    },
  };
}

/** The guild Acme with one member, Ana (her user id). */
export function acmeWithAna(discord: FakeDiscord) {
  const acme = discord.addGuild('Acme');
  const ana = discord.addUser('ana').id;
  discord.addMember(acme.guild.id, ana);
  return { acme, ana };
}

/** The Flex task of the conversation `workflowId`, once Flex has it. */
export function flexTaskOf(twilio: FakeTwilio, workflowId: string) {
  return eventually(() => {
    const task = [...twilio.tasks.values()].find((t) => t.attributes.flexcordWorkflowId === workflowId);
    assert.ok(task, 'a Flex task for the workflow');
    return task;
  });
}

/** A test's predicate for the bot's messages that came after `after`. */
export function botMessagesAfter(discord: FakeDiscord) {
  return (after: FakeMessage) => (m: FakeMessage) =>
    m.author.id === discord.botUser.id && BigInt(m.id) > BigInt(after.id);
}

/**
 * `userId` asks for a person through the bot: /helpme in the guild's support channel, then `ask` in the DM. Resolves
 * with the Twilio conversation once the bot said the case is open and Flex has the task; with `agent`, once that
 * agent accepted and the workflow is with them, else once it waits for an agent.
 */
export async function handedToFlexThroughDiscord(
  discord: FakeDiscord,
  system: FlexcordSystem,
  guild: { guild: { id: string }; supportChannel: { id: string } },
  userId: string,
  options: { ask?: string; agent?: { identity: string; name: string } } = {},
): Promise<{ workflowId: string; conversationSid: string }> {
  const workflowId = supportWorkflowId(guild.guild.id, userId);
  await discord.waitForReply(discord.runSlashCommand(userId, guild.supportChannel.id, 'helpme'));
  const ask = discord.userSendsDm(userId, options.ask ?? 'I want to talk to a human');
  await discord.waitForMessage(
    ask.channel_id,
    (m) => botMessagesAfter(discord)(ask)(m) && /Case #\d+ opened/.test(m.content),
  );
  const task = await flexTaskOf(system.twilio, workflowId);
  const conversationSid = task.attributes.conversationSid as string;
  if (options.agent) await system.twilio.agentAccepts(conversationSid, options.agent);
  const phase = options.agent ? 'with_agent' : 'waiting_for_agent';
  await eventually(async () =>
    assert.equal((await getConversationState(system.ctx.client, workflowId)).phase, phase),
  );
  return { workflowId, conversationSid };
}
