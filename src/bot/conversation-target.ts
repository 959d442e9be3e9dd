import { type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { type DiscordUserRef, supportWorkflowId } from '../shared/support-types';
import { UserFacingError } from './error-boundary';
import { guildForDm } from './locate-guild';
import { type BotContext } from './types';

/** The user, and the guild their conversation belongs to, for an interaction in a server or in a DM. */
export async function conversationUser(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: BotContext,
): Promise<DiscordUserRef & { workflowId: string }> {
  const guildId = interaction.guildId ?? (await guildForDm(ctx.client, ctx.deps, interaction.user.id));
  if (!guildId) throw new UserFacingError('Please run /helpme in the server you need help with.');
  const userId = interaction.user.id;
  return {
    guildId,
    userId,
    userName: interaction.user.globalName ?? interaction.user.username,
    workflowId: supportWorkflowId(guildId, userId),
  };
}
