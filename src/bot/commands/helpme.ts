import { MessageFlags } from 'discord.js';
import { conversationUser } from '../conversation-target';
import { admitInteraction } from '../gatekeeping';
import { explainSetupProblem } from '../setup-problem';
import { type SlashCommand } from '../types';
import { t } from '../../shared/i18n/translate';
import { interactionLocale } from '../locale';

export default {
  data: { name: 'helpme', description: 'Open (or resume) a private support conversation' },
  async execute(interaction, ctx) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { workflowId: _workflowId, ...user } = await conversationUser(interaction, ctx);
    // The conversation speaks the language of the /helpme that starts it.
    const locale = interactionLocale(interaction);
    await admitInteraction(interaction, ctx, user.guildId, 'open_conversation');
    const result = await ctx.deps.conversations
      .open({
        user,
        timings: ctx.deps.timings,
        preferThread: ctx.deps.discord.preferThreads,
        locale,
      })
      .catch((err: unknown) => explainSetupProblem(err, locale));
    // Only a conversation that was really opened counts against the user's limit.
    if (!result.created)
      await ctx.deps.moderation?.gate.refund(user.guildId, user.userId, 'open_conversation');
    const where =
      result.channel.kind === 'dm'
        ? t(locale, 'bot.yourDms', { url: `https://discord.com/channels/@me/${result.channel.channelId}` })
        : `<#${result.channel.channelId}>`;
    await interaction.editReply(t(locale, result.created ? 'bot.opened' : 'bot.stillOpen', { where }));
  },
} satisfies SlashCommand;
