import { ChannelType, type Message, type PartialMessage } from 'discord.js';
import { supportWorkflowId } from '../shared/support-types';
import { ConversationNotFoundError, type UserMessageChange } from '../temporal/support-client';
import { guildsForDm } from './locate-guild';
import { type BotContext } from './types';

/** Support threads are named `help-<name>-<user id>` by the Discord activities. */
const SUPPORT_THREAD = /^help-.*-(\d+)$/;

/**
 * Whose support conversation a channel is: a DM's recipient, or the user a support thread was opened for.
 * Undefined for every other channel. A channel the gateway only sent as a partial is fetched once.
 */
async function conversationsOf(
  message: Message | PartialMessage,
  ctx: BotContext,
): Promise<{ guildIds: string[]; userId: string } | undefined> {
  let channel = message.channel;
  if (channel.partial) channel = await channel.fetch();
  if (channel.type === ChannelType.DM) {
    // One DM channel serves the user's conversations of every server; only the one that relayed the message acts.
    const userId = channel.recipientId;
    const guildIds = userId ? await guildsForDm(ctx.client, ctx.deps, userId) : [];
    return userId && guildIds.length > 0 ? { guildIds, userId } : undefined;
  }
  if (channel.type === ChannelType.PrivateThread) {
    const userId = SUPPORT_THREAD.exec(channel.name)?.[1];
    return userId ? { guildIds: [channel.guildId], userId } : undefined;
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
  const owner = await conversationsOf(message, ctx);
  if (!owner) return 'ignored';
  // In a thread, only the user's own edits count (others' messages were never relayed as theirs).
  if (change.kind === 'edited' && message.author?.id !== owner.userId) return 'ignored';
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
  let routed = false;
  const gate = ctx.deps.moderation?.gate;
  for (const guildId of owner.guildIds) {
    if (gate && !(await gate.admit(guildId, owner.userId, 'message')).allowed) continue;
    try {
      await send(supportWorkflowId(guildId, owner.userId), event);
      routed = true;
    } catch (err) {
      if (!(err instanceof ConversationNotFoundError)) throw err;
    }
  }
  return routed ? 'routed' : 'ignored';
}
