import { type StringSelectMenuInteraction } from 'discord.js';
import { UserFacingError } from '../error-boundary';
import { guildsForDm } from '../locate-guild';
import { routeToGuild } from '../route-message';
import { type BotContext, type SelectHandler } from '../types';
import { t } from '../../shared/i18n/translate';
import { interactionLocale } from '../locale';

/**
 * The answer to "which server is this message for?": routes the DM it names to the user's conversation in the
 * chosen server, and replaces the menu with what was done, so it cannot be chosen twice.
 */
export const pickGuildMenu: SelectHandler<'pick_guild'> = {
  kind: 'pick_guild',
  async execute(interaction: StringSelectMenuInteraction, id, ctx: BotContext) {
    const locale = interactionLocale(interaction);
    const guildId = interaction.values[0];
    // Only a server the user has a conversation in (or the bot's one server) can be chosen.
    const allowed = await guildsForDm(ctx.client, ctx.deps, interaction.user.id);
    if (!guildId || !allowed.includes(guildId)) throw new UserFacingError(t(locale, 'bot.pickEnded'));
    const channel = interaction.channel;
    if (!channel || !('messages' in channel)) throw new UserFacingError(t(locale, 'bot.pickUnreadable'));
    const message = await channel.messages.fetch(id.messageId);
    if (message.author.id !== interaction.user.id) throw new UserFacingError(t(locale, 'bot.pickNotYours'));
    const outcome = await routeToGuild(message, guildId, ctx);
    const name = ctx.client.guilds.cache.get(guildId)?.name ?? t(locale, 'bot.thatServer');
    await interaction.update({
      content:
        outcome === 'routed'
          ? t(locale, 'bot.pickSent', { server: name })
          : t(locale, 'bot.pickRefused', { server: name }),
      components: [],
    });
  },
};
