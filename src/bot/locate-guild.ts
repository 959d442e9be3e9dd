import { type Client } from 'discord.js';
import { type BotDeps } from './bot-deps';

/**
 * Which guilds a DM may belong to. In order: DISCORD_GUILD_ID; the only guild the bot is in; the guilds of the
 * user's running conversations (Temporal visibility). None means: ask the user to run /helpme in the server;
 * several mean: ask which one (one DM channel carries the user's conversations of every server).
 */
export async function guildsForDm(client: Client, deps: BotDeps, userId: string): Promise<string[]> {
  if (deps.discord.guildId) return [deps.discord.guildId];
  if (client.guilds.cache.size === 1) return [client.guilds.cache.first()!.id];
  return deps.conversations.runningConversationGuilds(userId);
}
