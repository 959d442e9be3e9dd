import { type Client, type Interaction } from 'discord.js';
import { type Locale, pickLocale } from '../shared/i18n/translate';

/** The language to answer an interaction in: the user's Discord client language, else the server's, else English. */
export function interactionLocale(interaction: Interaction): Locale {
  return pickLocale(interaction.locale, interaction.guildLocale);
}

/** A server's preferred language (for DMs, which carry no locale of their own), else English. */
export function guildLocale(client: Client, guildId: string | undefined): Locale {
  return pickLocale(guildId ? client.guilds.cache.get(guildId)?.preferredLocale : undefined);
}
