import { ChannelType, type Message, type PartialMessage } from 'discord.js';
import { supportWorkflowId } from '../shared/support-types';
import { ConversationNotFoundError, type UserMessageChange } from '../temporal/support-client';
import { guildForDm } from './locate-guild';
import { type BotContext } from './types';

/** Support threads are named `help-<name>-<user id>` by the Discord activities. */
const SUPPORT_THREAD = /^help-.*-(\d+)$/;

/**
 * Whose support conversation a channel is: a DM's recipient, or the user a support thread was opened for.
 * Undefined for every other channel. A channel the gateway only sent as a partial is fetched once.
 */
async function conversationOf(
  message: Message | PartialMessage,
  ctx: BotContext,
): Promise<{ guildId: string; userId: string } | undefined> {
  let channel = message.channel;
  if (channel.partial) channel = await channel.fetch();
  if (channel.type === ChannelType.DM) {
    const userId = channel.recipientId;
    const guildId = userId ? await guildForDm(ctx.client, ctx.deps, userId) : undefined;
    return userId && guildId ? { guildId, userId } : undefined;
  }
  if (channel.type === ChannelType.PrivateThread) {
    const userId = SUPPORT_THREAD.exec(channel.name)?.[1];
    return userId ? { guildId: channel.guildId, userId } : undefined;
  }
  return undefined;
}

/**
 * A user edited or deleted one of their messages in their support DM or thread: the conversation hears of it, so
 * it can change what it relayed to Flex and mark the transcript. A message the conversation never relayed (a staff
 * member's in a thread, say) is recognised by the workflow and ignored there. Blocked users change nothing.
 */
export async function routeMessageChange(
  change:
    | { kind: 'edited'; message: Message | PartialMessage }
    | { kind: 'deleted'; message: Message | PartialMessage },
  ctx: BotContext,
): Promise<'routed' | 'ignored'> {
  const { message } = change;
  const send = ctx.deps.conversations.messageChanged;
  if (!send) return 'ignored';
  // The bot's own messages (an agent's removal deletes them) are never the user's.
  if (message.author?.bot) return 'ignored';
  if (change.kind === 'edited') {
    // Discord also sends MESSAGE_UPDATE when it adds a link preview; only a real edit has an edit time.
    if (!message.editedAt || !message.author) return 'ignored';
  }
  const owner = await conversationOf(message, ctx);
  if (!owner) return 'ignored';
  // In a thread, only the user's own edits count (others' messages were never relayed as theirs).
  if (change.kind === 'edited' && message.author?.id !== owner.userId) return 'ignored';
  const gate = ctx.deps.moderation?.gate;
  if (gate && !(await gate.admit(owner.guildId, owner.userId, 'message')).allowed) return 'ignored';
  const event: UserMessageChange =
    change.kind === 'edited'
      ? {
          kind: 'edited',
          event: {
            eventId: `${message.id}:edited:${message.editedAt!.toISOString()}`,
            messageId: message.id,
            text: message.content ?? '',
            editedAt: message.editedAt!.toISOString(),
          },
        }
      : { kind: 'deleted', event: { eventId: `${message.id}:deleted`, messageId: message.id } };
  try {
    await send(supportWorkflowId(owner.guildId, owner.userId), event);
    return 'routed';
  } catch (err) {
    if (err instanceof ConversationNotFoundError) return 'ignored';
    throw err;
  }
}
