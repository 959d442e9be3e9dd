import { type Collection, DiscordAPIError, type Message } from 'discord.js';
import { compareSnowflakes, isAfter } from '../shared/discord-snowflake';
import { type CatchUpGate } from './catch-up-gate';
import { type BotContext } from './types';

/** What the bot needs to know of an open conversation to read back what it missed. */
export interface ConversationCursor {
  guildId: string;
  userId: string;
  channelId: string;
  /** The newest message of the user the conversation has seen (or the moment it started). */
  discordCursor: string;
}

/** Discord's page size for reading messages. */
const PAGE = 100;

/**
 * Messages seen by the bot lately, so one that arrives both live and in a catch-up is routed once (the workflow
 * would drop the repeat anyway, but a DM that asks "which server?" would ask twice).
 */
export class RecentMessages {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity = 5000) {}

  /** True the first time an id is offered. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

/** Channels read back at once: a slow channel does not keep the others (and their live messages) waiting. */
const READERS = 4;
/** Tries per channel within one catch-up, a second apart and then two: a failing read is common under load. */
const CHANNEL_TRIES = 3;
const CHANNEL_RETRY_MS = 1_000;

/**
 * Discord does not replay MESSAGE_CREATE into a new gateway session, so after every session that was not resumed
 * (the first one included) the bot reads each open conversation's channel after the last message the conversation
 * saw, oldest first, and routes what it finds exactly as if it had just arrived: in order, once (the workflow
 * drops a message id it has seen). One DM channel may serve conversations of several servers: it is read once,
 * after the newest message any of them saw. The gate learns which channels are to be read and when each is done,
 * so a live message waits for its own channel only; channels a live message waits for are read first.
 */
export async function catchUp(
  ctx: BotContext,
  route: (message: Message) => Promise<void>,
  gate: CatchUpGate,
  session: number,
): Promise<{ channels: number; messages: number }> {
  const list = ctx.deps.conversations.openConversationCursors;
  if (!list) {
    gate.finished(session);
    return { channels: 0, messages: 0 };
  }
  const served = (guildId: string) => ctx.client.guilds.cache.has(guildId);
  const cursors = new Map<string, string>();
  for (const c of await list()) {
    if (!served(c.guildId)) continue;
    const known = cursors.get(c.channelId);
    if (known === undefined || isAfter(c.discordCursor, known)) cursors.set(c.channelId, c.discordCursor);
  }
  // A retry in the same session skips the channels already read back.
  const queue = gate.listed(session, cursors.keys());
  let messages = 0;
  let failed = 0;
  const readBack = async (channelId: string) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        for (const message of await messagesAfter(ctx, channelId, cursors.get(channelId)!)) {
          messages += 1;
          await route(message);
        }
        return gate.readBack(session, channelId);
      } catch (err) {
        // A channel that is gone or closed to the bot (Discord says so) never will be readable: its live messages
        // need not wait. Any other failure (a lost connection, a 5xx) is tried again a few times, then fails the
        // catch-up once the others are done, so it is tried again later and this channel is read after all.
        if (unreadableForGood(err)) {
          ctx.deps.logger.warn(
            { err, channelId },
            'support channel gone or closed to the bot; not caught up',
          );
          return gate.readBack(session, channelId);
        }
        if (attempt >= CHANNEL_TRIES) {
          ctx.deps.logger.warn({ err, channelId }, 'could not catch up on a support channel');
          failed += 1;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, CHANNEL_RETRY_MS * 2 ** (attempt - 1)));
      }
    }
  };
  const reader = async () => {
    while (queue.length > 0) {
      const [channelId] = queue.splice(gate.firstWanted(queue), 1);
      await readBack(channelId!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READERS, queue.length) }, reader));
  if (failed > 0)
    throw new Error(`could not read ${failed} of ${cursors.size} support channels; trying again`);
  gate.finished(session);
  return { channels: cursors.size, messages };
}

/** Discord's answer that the channel is gone (404) or closed to the bot (403): reading again will not help. */
function unreadableForGood(err: unknown): boolean {
  return err instanceof DiscordAPIError && (err.status === 403 || err.status === 404);
}

/** The channel's messages after `cursor`, oldest first, page by page. */
async function messagesAfter(ctx: BotContext, channelId: string, cursor: string): Promise<Message[]> {
  const channel = await ctx.client.channels.fetch(channelId);
  if (!channel || !('messages' in channel)) return [];
  const found: Message[] = [];
  let after = cursor;
  for (;;) {
    const page: Collection<string, Message> = await channel.messages.fetch({
      after,
      limit: PAGE,
      cache: false,
    });
    const ordered = [...page.values()].sort((a, b) => compareSnowflakes(a.id, b.id));
    found.push(...ordered);
    if (ordered.length < PAGE) return found;
    after = ordered.at(-1)!.id;
  }
}
