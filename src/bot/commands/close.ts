import { MessageFlags } from 'discord.js';
import { ConversationNotFoundError } from '../../temporal/support-client';
import { conversationUser } from '../conversation-target';
import { type SlashCommand } from '../types';

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
      await interaction.editReply('Closing your support conversation. Thanks for reaching out!');
    } catch (err) {
      if (!(err instanceof ConversationNotFoundError)) throw err;
      await interaction.editReply('You have no open support conversation.');
    }
  },
} satisfies SlashCommand;
