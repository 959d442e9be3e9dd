import { requireSettings } from '../../config';
import { type RoleStarter } from '../role';

export const startBotRole: RoleStarter = async (ctx) => {
  requireSettings('bot', {
    DISCORD_TOKEN: ctx.config.discord.token,
    DISCORD_APPLICATION_ID: ctx.config.discord.applicationId,
  });
  throw new Error('The Discord bot role is not built yet (see issue: Discord bot).');
};
