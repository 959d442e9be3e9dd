import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { type ConversationRef } from '../../shared/discord-custom-ids';
import { ConversationNotFoundError, type UserActionSignal } from '../../temporal/support-client';
import { conversationUser } from '../conversation-target';
import { admitInteraction } from '../gatekeeping';
import { type GatedAction } from '../../moderation';
import { type BotContext, type ButtonHandler } from '../types';

async function signalConversation(
  interaction: ButtonInteraction,
  ctx: BotContext,
  named: ConversationRef | undefined,
  action: UserActionSignal,
  done: string,
  gated?: GatedAction,
): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { workflowId, guildId } = await conversationUser(interaction, ctx, named);
  if (gated) await admitInteraction(interaction, ctx, guildId, gated);
  try {
    await ctx.deps.conversations.action(workflowId, action);
    await interaction.editReply(done);
  } catch (err) {
    if (!(err instanceof ConversationNotFoundError)) throw err;
    await interaction.editReply(
      'This support conversation has already ended. Use /helpme to start a new one.',
    );
  }
}

export const requestHumanButton: ButtonHandler<'request_human'> = {
  kind: 'request_human',
  execute: (interaction, id, ctx) =>
    signalConversation(
      interaction,
      ctx,
      id.conversation,
      { signal: 'requestHuman', event: { eventId: interaction.id } },
      'Asking a human to join. You can keep writing here meanwhile.',
      'request_human',
    ),
};

export const closeButton: ButtonHandler<'close'> = {
  kind: 'close',
  execute: (interaction, id, ctx) =>
    signalConversation(
      interaction,
      ctx,
      id.conversation,
      { signal: 'userClose', event: { eventId: interaction.id } },
      'Closing the conversation.',
    ),
};

export const ratingButton: ButtonHandler<'rating'> = {
  kind: 'rating',
  execute: (interaction, id, ctx) =>
    signalConversation(
      interaction,
      ctx,
      id.conversation,
      { signal: 'rating', event: { eventId: interaction.id, rating: id.rating } },
      `Thanks for rating us ${id.rating}/5!`,
    ),
};
