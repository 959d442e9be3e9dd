import { MessageFlags } from 'discord.js';
import { ConversationNotFoundError } from '../../temporal/support-client';
import { conversationUser } from '../conversation-target';
import { type SlashCommand } from '../types';
import { t } from '../../shared/i18n/translate';
import { interactionLocale } from '../locale';

export default {
  data: { name: 'close', description: 'Close your support conversation' },
  async execute(interaction, ctx) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { workflowId } = await conversationUser(interaction, ctx);
    try {
      await ctx.deps.conversations.action(workflowId, {
        signal: 'userClose',
        event: { eventId: interaction.id },
      });
      await interaction.editReply(t(interactionLocale(interaction), 'bot.closing'));
    } catch (err) {
      if (!(err instanceof ConversationNotFoundError)) throw err;
      await interaction.editReply(t(interactionLocale(interaction), 'bot.nothingToClose'));
    }
  },
} satisfies SlashCommand;
