import { REST } from '@discordjs/rest';
import { type Command } from 'commander';
import { type APIUser, Routes } from 'discord-api-types/v10';
import { setupChannels } from '../../bot/setup-channels';
import { loadConfig, requireSettings } from '../../config';

export function registerSetupChannelsCommand(program: Command): void {
  program
    .command('setup-channels')
    .description('create or repair the announcements, bug-report, feature-request and support channels')
    .requiredOption('--guild <id>', 'the Discord server')
    .action(async (opts: { guild: string }) => {
      const config = loadConfig();
      requireSettings('setup-channels', { DISCORD_TOKEN: config.discord.token });
      const rest = new REST(config.discord.apiUrl ? { api: config.discord.apiUrl } : {}).setToken(
        config.discord.token!,
      );
      const me = (await rest.get(Routes.user())) as APIUser;
      const result = await setupChannels(rest, {
        guildId: opts.guild,
        botUserId: me.id,
        staffRoleId: config.discord.staffRoleId,
        names: { ...config.discord.channels, support: config.discord.supportChannelName },
      });
      console.log(`created: ${result.created.join(', ') || 'none'}`);
      console.log(`repaired: ${result.repaired.join(', ') || 'none'}`);
      console.log(`already fine: ${result.unchanged.join(', ') || 'none'}`);
    });
}
