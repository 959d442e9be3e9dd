import { REST } from '@discordjs/rest';
import { type Command } from 'commander';
import { registerSlashCommands } from '../../bot/register-commands';
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
      const registered = await registerSlashCommands(rest, config.discord.applicationId!, opts.guild);
      console.log(
        `registered ${registered.length} commands ${opts.guild ? `in guild ${opts.guild}` : 'globally'}: ${registered.map((c) => `/${c.name}`).join(' ')}`,
      );
    });
}
