import { ChannelType, ComponentType, type Message } from 'discord.js';
import { encodeCustomId } from '../shared/discord-custom-ids';
import type { DiscordChannelRef, StartSupportInput, UserMessageEvent } from '../shared/support-types';
import { guildsForDm } from './locate-guild';
import { refusalText } from './refusals';
import { type BotContext } from './types';
import { t } from '../shared/i18n/translate';
import { guildLocale } from './locale';

export type RouteOutcome = 'routed' | 'ignored' | 'no_guild' | 'asked' | 'refused';

/**
 * A user's message in their DM with the bot or in their own support thread becomes a signal-with-start to their
 * conversation, keyed by the Discord message id so a redelivered event changes nothing. Everything else (the bot's
 * own messages, other bots, staff writing in a thread, ordinary channels) is ignored. A DM from a user with
 * conversations in several servers is not guessed: the bot asks which server, with a select menu.
 */
export async function routeMessage(
  message: Message,
  ctx: BotContext,
  options: { fromCatchUp?: boolean } = {},
): Promise<RouteOutcome> {
  if (message.author.bot || message.system) return 'ignored';
  if (message.channel.type === ChannelType.DM) {
    const guilds = await guildsForDm(ctx.client, ctx.deps, message.author.id);
    if (guilds.length === 0) {
      // A DM names no server, so no language either: English.
      await message.reply(t(undefined, 'bot.helpmeFirst'));
      return 'no_guild';
    }
    if (guilds.length > 1) {
      await askWhichGuild(message, guilds, ctx);
      return 'asked';
    }
    return routeToGuild(message, guilds[0]!, ctx, options);
  }
  if (message.channel.type === ChannelType.PrivateThread && isUsersSupportThread(message))
    return routeToGuild(message, message.guildId!, ctx, options);
  return 'ignored';
}

/** Signals the message to the user's conversation in `guildId` (in the DM or thread it was written in). */
export async function routeToGuild(
  message: Message,
  guildId: string,
  ctx: BotContext,
  options: { fromCatchUp?: boolean } = {},
): Promise<RouteOutcome> {
  const channel: DiscordChannelRef = {
    channelId: message.channelId,
    kind: message.channel.type === ChannelType.DM ? 'dm' : 'thread',
  };
  // A blocked user's words never reach the conversation (nor Flex); they hear why once in a while, not each time.
  const gate = ctx.deps.moderation?.gate;
  const admission = gate && (await gate.admit(guildId, message.author.id, 'message'));
  if (admission && !admission.allowed) {
    ctx.deps.logger.info({ guildId, userId: message.author.id }, 'message from a blocked user not routed');
    if (await gate.shouldTellBlocked(guildId, message.author.id))
      await message.reply(refusalText(admission, guildLocale(ctx.client, guildId)));
    return 'refused';
  }
  const input: StartSupportInput = {
    user: {
      guildId,
      userId: message.author.id,
      userName: message.author.globalName ?? message.author.username,
    },
    timings: ctx.deps.timings,
    preferThread: channel.kind === 'thread',
    channel,
    // Used only when this message starts the conversation: a DM carries no language, the server's is the best guess.
    locale: guildLocale(ctx.client, guildId),
  };
  const event: UserMessageEvent = {
    eventId: message.id,
    text: message.content,
    attachments: message.attachments.map((a) => ({
      url: a.url,
      name: a.name,
      ...(a.contentType ? { contentType: a.contentType } : {}),
      // Its id keys the file's relay to Flex; its size lets an oversized file be refused before any download.
      id: a.id,
      size: a.size,
    })),
    sentAt: message.createdAt.toISOString(),
    // The catch-up reads in order after the cursor; a live message before its channel is read back must leave the
    // cursor alone.
    ...(!options.fromCatchUp && ctx.catchUp && !ctx.catchUp.settled(message.channelId)
      ? { beforeCatchUp: true }
      : {}),
  };
  await ctx.deps.conversations.userMessage(input, event);
  return 'routed';
}

/** Discord allows 25 options in a select menu. */
const MAX_OPTIONS = 25;

/** Replies to the DM with a menu of the user's servers; the choice routes this message (src/bot/components/pick-guild.ts). */
async function askWhichGuild(message: Message, guildIds: string[], ctx: BotContext): Promise<void> {
  const options = guildIds.slice(0, MAX_OPTIONS).map((id) => ({
    label: (ctx.client.guilds.cache.get(id)?.name ?? `Server ${id}`).slice(0, 100),
    value: id,
  }));
  await message.reply({
    // A DM to several servers has no one language to use: English.
    content: t(undefined, 'bot.whichServer'),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: encodeCustomId({ kind: 'pick_guild', messageId: message.id }),
            placeholder: t(undefined, 'bot.chooseServer'),
            options,
          },
        ],
      },
    ],
  });
}

/** Support threads are named `help-<name>-<user id>` by the Discord activities; only that user's words are routed. */
function isUsersSupportThread(message: Message): boolean {
  const name = ('name' in message.channel ? message.channel.name : null) ?? '';
  return name.startsWith('help-') && name.endsWith(`-${message.author.id}`);
}
