import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { type ConversationRef } from '../../shared/discord-custom-ids';
import { ConversationNotFoundError, type UserActionSignal } from '../../temporal/support-client';
import { conversationUser } from '../conversation-target';
import { admitInteraction } from '../gatekeeping';
import { type GatedAction } from '../../moderation';
import { type BotContext, type ButtonHandler } from '../types';
import { type Locale, t } from '../../shared/i18n/translate';
import { interactionLocale } from '../locale';

async function signalConversation(
  interaction: ButtonInteraction,
  ctx: BotContext,
  named: ConversationRef | undefined,
  action: UserActionSignal,
  done: (locale: Locale) => string,
  gated?: GatedAction,
): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { workflowId, guildId } = await conversationUser(interaction, ctx, named);
  if (gated) await admitInteraction(interaction, ctx, guildId, gated);
  try {
    await ctx.deps.conversations.action(workflowId, action);
    await interaction.editReply(done(interactionLocale(interaction)));
  } catch (err) {
    if (!(err instanceof ConversationNotFoundError)) throw err;
    await interaction.editReply(t(interactionLocale(interaction), 'bot.conversationEnded'));
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
      (locale) => t(locale, 'bot.askingHuman'),
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
      (locale) => t(locale, 'bot.closingConversation'),
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
      (locale) => t(locale, 'bot.rated', { rating: id.rating }),
    ),
};
