import { type Collection, DiscordAPIError, type Message } from 'discord.js';
import { compareSnowflakes, isAfter } from '../shared/discord-snowflake';
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

/**
 * Discord does not replay MESSAGE_CREATE into a new gateway session, so after every session that was not resumed
 * (the first one included) the bot reads each open conversation's channel after the last message the conversation
 * saw, oldest first, and routes what it finds exactly as if it had just arrived: in order, once (the workflow
 * drops a message id it has seen). One DM channel may serve conversations of several servers: it is read once,
 * after the newest message any of them saw.
 */
export async function catchUp(
  ctx: BotContext,
  route: (message: Message) => Promise<void>,
): Promise<{ channels: number; messages: number }> {
  const list = ctx.deps.conversations.openConversationCursors;
  if (!list) return { channels: 0, messages: 0 };
  const served = (guildId: string) => ctx.client.guilds.cache.has(guildId);
  const channels = new Map<string, string>();
  for (const c of await list()) {
    if (!served(c.guildId)) continue;
    const known = channels.get(c.channelId);
    if (known === undefined || isAfter(c.discordCursor, known)) channels.set(c.channelId, c.discordCursor);
  }
  let messages = 0;
  let failed = 0;
  for (const [channelId, cursor] of channels) {
    try {
      for (const message of await messagesAfter(ctx, channelId, cursor)) {
        messages += 1;
        await route(message);
      }
    } catch (err) {
      // One channel the bot cannot read must not keep the others from catching up. A channel that is gone or
      // closed to the bot (Discord says so) never will be; any other failure (a lost connection, a 5xx) fails
      // the catch-up once the others are done, so it is tried again and this channel is read after all.
      ctx.deps.logger.warn({ err, channelId }, 'could not catch up on a support channel');
      if (!unreadableForGood(err)) failed += 1;
    }
  }
  if (failed > 0)
    throw new Error(`could not read ${failed} of ${channels.size} support channels; trying again`);
  return { channels: channels.size, messages };
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
