import { type StringSelectMenuInteraction } from 'discord.js';
import { UserFacingError } from '../error-boundary';
import { guildsForDm } from '../locate-guild';
import { routeToGuild } from '../route-message';
import { type BotContext, type SelectHandler } from '../types';

/**
 * The answer to "which server is this message for?": routes the DM it names to the user's conversation in the
 * chosen server, and replaces the menu with what was done, so it cannot be chosen twice.
 */
export const pickGuildMenu: SelectHandler<'pick_guild'> = {
  kind: 'pick_guild',
  async execute(interaction: StringSelectMenuInteraction, id, ctx: BotContext) {
    const guildId = interaction.values[0];
    // Only a server the user has a conversation in (or the bot's one server) can be chosen.
    const allowed = await guildsForDm(ctx.client, ctx.deps, interaction.user.id);
    if (!guildId || !allowed.includes(guildId))
      throw new UserFacingError('That conversation has ended. Please run /helpme in the server.');
    const channel = interaction.channel;
    if (!channel || !('messages' in channel)) throw new UserFacingError('I can no longer read that message.');
    const message = await channel.messages.fetch(id.messageId);
    if (message.author.id !== interaction.user.id)
      throw new UserFacingError('This question is about someone else’s message.');
    const outcome = await routeToGuild(message, guildId, ctx);
    const name = ctx.client.guilds.cache.get(guildId)?.name ?? 'that server';
    await interaction.update({
      content:
        outcome === 'routed'
          ? `Sent to your support conversation in ${name}.`
          : `Not sent: you cannot write to support in ${name} right now.`,
      components: [],
    });
  },
};
