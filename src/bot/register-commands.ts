import { type REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { SLASH_COMMANDS } from './commands';

/**
 * Registers flexcord's slash commands for the application, in one guild (at once) or globally (Discord rolls
 * those out slowly). PUT replaces the whole set, so commands removed from the code disappear from Discord too.
 */
export async function registerSlashCommands(
  rest: REST,
  applicationId: string,
  guildId?: string,
): Promise<{ name: string }[]> {
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  return (await rest.put(route, { body: SLASH_COMMANDS.map((c) => c.data) })) as { name: string }[];
}
