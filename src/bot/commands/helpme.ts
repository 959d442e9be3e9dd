import { MessageFlags } from 'discord.js';
import { conversationUser } from '../conversation-target';
import { admitInteraction } from '../gatekeeping';
import { explainSetupProblem } from '../setup-problem';
import { type SlashCommand } from '../types';

export default {
  data: { name: 'helpme', description: 'Open (or resume) a private support conversation' },
  async execute(interaction, ctx) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { workflowId: _workflowId, ...user } = await conversationUser(interaction, ctx);
    await admitInteraction(interaction, ctx, user.guildId, 'open_conversation');
    const result = await ctx.deps.conversations
      .open({
        user,
        timings: ctx.deps.timings,
        preferThread: ctx.deps.discord.preferThreads,
      })
      .catch(explainSetupProblem);
    // Only a conversation that was really opened counts against the user's limit.
    if (!result.created)
      await ctx.deps.moderation?.gate.refund(user.guildId, user.userId, 'open_conversation');
    const where =
      result.channel.kind === 'dm'
        ? `your DMs: https://discord.com/channels/@me/${result.channel.channelId}`
        : `<#${result.channel.channelId}>`;
    await interaction.editReply(
      result.created
        ? `I opened a private support conversation in ${where}`
        : `Your support conversation is still open in ${where}`,
    );
  },
} satisfies SlashCommand;
