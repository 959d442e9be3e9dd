import { FakeDiscord, type FakeDiscordOptions } from '../../src/sandbox/discord';
import { FakeTwilio } from '../../src/sandbox/twilio/fake-twilio';
import { supportWorkflowId } from '../../src/shared/support-types';
import { type BenchConversation } from './relay-ledger';
import { BENCH_AUTH_TOKEN } from './flexcord-processes';

export interface Fakes {
  discord: FakeDiscord;
  twilio: FakeTwilio;
  guildId: string;
  stop(): Promise<void>;
}

/** The local Discord and Twilio in this (the harness's) process, on 127.0.0.1, with one guild. */
export async function startFakes(options: {
  /** Where flexcord's webhook server will listen: the TaskRouter event callback goes there. */
  webhooksBaseUrl: string;
  discord?: FakeDiscordOptions;
}): Promise<Fakes> {
  const discord = await new FakeDiscord(options.discord).start();
  const twilio = await new FakeTwilio({
    authToken: BENCH_AUTH_TOKEN,
    taskrouterCallbackUrl: `${options.webhooksBaseUrl}/twilio/taskrouter`,
  }).start();
  const { guild } = discord.addGuild('Bench');
  return {
    discord,
    twilio,
    guildId: guild.id,
    async stop() {
      await twilio.stop();
      await discord.stop();
    },
  };
}

export function addUsers(fakes: Fakes, count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => {
    const user = fakes.discord.addUser(`${prefix}${i}`);
    fakes.discord.addMember(fakes.guildId, user.id);
    // The DM channel exists before the first message, as it does once a user has written to the bot.
    fakes.discord.dmChannelFor(user.id);
    return user.id;
  });
}

export const AGENTS = Array.from({ length: 20 }, (_, i) => ({
  identity: `agent${i}_40example_2Ecom`,
  name: `Agent ${i}`,
}));

/**
 * Brings each user to a live agent through the protocol paths only: the user asks for a person in their DM
 * (gateway → bot → workflow → case and Flex task), then an agent accepts the task in Flex (TaskRouter and
 * Conversations webhooks), and the user is told who joined. At most `concurrency` users are in the middle of it.
 */
export async function bringToAgents(
  fakes: Fakes,
  users: string[],
  options: { concurrency?: number; timeoutMs?: number; firstIndex?: number } = {},
): Promise<BenchConversation[]> {
  const { discord, twilio, guildId } = fakes;
  const timeoutMs = options.timeoutMs ?? 180_000;
  const firstIndex = options.firstIndex ?? 0;
  const out: BenchConversation[] = new Array(users.length);
  const taskByWorkflow = new Map<string, string>();
  let scanned = 0;
  const findTask = (workflowId: string): string | undefined => {
    // Tasks only grow; index the new ones.
    const tasks = [...twilio.tasks.values()];
    for (; scanned < tasks.length; scanned++) {
      const t = tasks[scanned]!;
      const wf = t.attributes.flexcordWorkflowId;
      if (typeof wf === 'string') taskByWorkflow.set(wf, String(t.attributes.conversationSid));
    }
    return taskByWorkflow.get(workflowId);
  };
  const one = async (i: number) => {
    const userId = users[i]!;
    const index = firstIndex + i;
    const dm = discord.dmChannelFor(userId);
    discord.userSendsDm(userId, 'I want to talk to a real person please');
    const workflowId = supportWorkflowId(guildId, userId);
    const conversationSid = await poll(
      () => findTask(workflowId),
      `a Flex task for ${workflowId}`,
      timeoutMs,
    );
    const agent = AGENTS[index % AGENTS.length]!;
    await twilio.agentAccepts(conversationSid, agent);
    await poll(
      () =>
        discord
          .messagesIn(dm.id)
          .some((m) => m.author.id === discord.botUser.id && /joined the conversation/.test(m.content ?? '')),
      `the join notice for ${workflowId}`,
      timeoutMs,
    );
    out[i] = {
      index,
      userId,
      dmChannelId: dm.id,
      conversationSid,
      agentIdentity: agent.identity,
      agentName: agent.name,
    };
  };
  await inPool(users.length, options.concurrency ?? 20, one);
  return out;
}

/** Runs `fn(0..count-1)` with at most `concurrency` at a time. */
export async function inPool(count: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

export async function poll<T>(
  get: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
