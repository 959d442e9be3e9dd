import { ChannelType, type Message } from 'discord.js';
import type { DiscordChannelRef, StartSupportInput, UserMessageEvent } from '../shared/support-types';
import { guildForDm } from './locate-guild';
import { refusalText } from './refusals';
import { type BotContext } from './types';

/**
 * A user's message in their DM with the bot or in their own support thread becomes a signal-with-start to their
 * conversation, keyed by the Discord message id so a redelivered event changes nothing. Everything else (the bot's
 * own messages, other bots, staff writing in a thread, ordinary channels) is ignored.
 */
export async function routeMessage(
  message: Message,
  ctx: BotContext,
): Promise<'routed' | 'ignored' | 'no_guild' | 'refused'> {
  if (message.author.bot || message.system) return 'ignored';
  let guildId: string | undefined;
  let channel: DiscordChannelRef;
  if (message.channel.type === ChannelType.DM) {
    guildId = await guildForDm(ctx.client, ctx.deps, message.author.id);
    if (!guildId) {
      await message.reply('Please run /helpme in the server you need help with first.');
      return 'no_guild';
    }
    channel = { channelId: message.channelId, kind: 'dm' };
  } else if (message.channel.type === ChannelType.PrivateThread && isUsersSupportThread(message)) {
    guildId = message.guildId!;
    channel = { channelId: message.channelId, kind: 'thread' };
  } else {
    return 'ignored';
  }
  // A blocked user's words never reach the conversation (nor Flex); they hear why once in a while, not each time.
  const gate = ctx.deps.moderation?.gate;
  const admission = gate && (await gate.admit(guildId, message.author.id, 'message'));
  if (admission && !admission.allowed) {
    ctx.deps.logger.info({ guildId, userId: message.author.id }, 'message from a blocked user not routed');
    if (await gate.shouldTellBlocked(guildId, message.author.id)) await message.reply(refusalText(admission));
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
  };
  await ctx.deps.conversations.userMessage(input, event);
  return 'routed';
}

/** Support threads are named `help-<name>-<user id>` by the Discord activities; only that user's words are routed. */
function isUsersSupportThread(message: Message): boolean {
  const name = ('name' in message.channel ? message.channel.name : null) ?? '';
  return name.startsWith('help-') && name.endsWith(`-${message.author.id}`);
}
