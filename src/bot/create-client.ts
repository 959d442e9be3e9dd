import { Client, GatewayIntentBits, Partials } from 'discord.js';

/**
 * Intents: Guilds (slash commands, threads), DirectMessages (support DMs), GuildMessages (support threads), and
 * the privileged MessageContent intent, because a user's words in a private support thread arrive empty without
 * it (DM content is always delivered). Partials.Channel: DM channels are not cached before their first message.
 */
export const BOT_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
];

export function createDiscordClient(options: { apiUrl?: string }): Client {
  return new Client({
    intents: BOT_INTENTS,
    // Every reply, edit and post through discord.js pings nobody unless it says otherwise: replies quote what users
    // wrote (report titles, case lists), and an `@everyone` in them must stay text.
    allowedMentions: { parse: [], repliedUser: false },
    partials: [Partials.Channel, Partials.Message],
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
  });
}
