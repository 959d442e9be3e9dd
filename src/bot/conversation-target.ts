import { type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { type ConversationRef } from '../shared/discord-custom-ids';
import { type DiscordUserRef, supportWorkflowId } from '../shared/support-types';
import { UserFacingError } from './error-boundary';
import { guildsForDm } from './locate-guild';
import { type BotContext } from './types';
import { t } from '../shared/i18n/translate';
import { interactionLocale } from './locale';

/**
 * The user, and the guild their conversation belongs to, for an interaction in a server or in a DM. A button that
 * names its conversation acts on exactly that one, and only for its own user; an older button (or a DM command)
 * relies on where the interaction happened, and when a DM could mean several servers nothing is guessed.
 */
export async function conversationUser(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: BotContext,
  named?: ConversationRef,
): Promise<DiscordUserRef & { workflowId: string }> {
  const userId = interaction.user.id;
  if (named && named.userId !== userId)
    throw new UserFacingError(t(interactionLocale(interaction), 'bot.notYourButton'));
  let guildId = named?.guildId ?? interaction.guildId ?? undefined;
  if (!guildId) {
    const guilds = await guildsForDm(ctx.client, ctx.deps, userId);
    if (guilds.length > 1) {
      throw new UserFacingError(
        t(interactionLocale(interaction), 'bot.whichServerCommand', {
          command: interaction.isButton() ? 'close' : interaction.commandName,
        }),
      );
    }
    guildId = guilds[0];
  }
  if (!guildId) throw new UserFacingError(t(interactionLocale(interaction), 'bot.helpmeInServer'));
  return {
    guildId,
    userId,
    userName: interaction.user.globalName ?? interaction.user.username,
    workflowId: supportWorkflowId(guildId, userId),
  };
}
