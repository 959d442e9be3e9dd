import { type Client } from 'discord.js';
import { type BotDeps } from './bot-deps';

/**
 * Which guild a DM belongs to. In order: DISCORD_GUILD_ID; the only guild the bot is in; the guild of the user's
 * running conversation (Temporal visibility). Undefined means: ask the user to run /helpme in the server.
 */
export async function guildForDm(client: Client, deps: BotDeps, userId: string): Promise<string | undefined> {
  if (deps.discord.guildId) return deps.discord.guildId;
  if (client.guilds.cache.size === 1) return client.guilds.cache.first()!.id;
  return deps.conversations.runningConversationGuild(userId);
}
