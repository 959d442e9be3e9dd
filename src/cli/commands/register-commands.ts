import { REST } from '@discordjs/rest';
import { type Command } from 'commander';
import { Routes } from 'discord-api-types/v10';
import { SLASH_COMMANDS } from '../../bot/commands';
import { loadConfig, requireSettings } from '../../config';

export function registerRegisterCommandsCommand(program: Command): void {
  program
    .command('register-commands')
    .description('register the slash commands with Discord (globally, or in one guild: instant, for testing)')
    .option('--guild <id>', 'register in this guild only')
    .action(async (opts: { guild?: string }) => {
      const config = loadConfig();
      requireSettings('register-commands', {
        DISCORD_TOKEN: config.discord.token,
        DISCORD_APPLICATION_ID: config.discord.applicationId,
      });
      const rest = new REST(config.discord.apiUrl ? { api: config.discord.apiUrl } : {}).setToken(
        config.discord.token!,
      );
      const appId = config.discord.applicationId!;
      const route = opts.guild
        ? Routes.applicationGuildCommands(appId, opts.guild)
        : Routes.applicationCommands(appId);
      // PUT replaces the whole set, so commands removed from the code disappear from Discord too.
      const registered = (await rest.put(route, { body: SLASH_COMMANDS.map((c) => c.data) })) as {
        name: string;
      }[];
      console.log(
        `registered ${registered.length} commands ${opts.guild ? `in guild ${opts.guild}` : 'globally'}: ${registered.map((c) => `/${c.name}`).join(' ')}`,
      );
    });
}
