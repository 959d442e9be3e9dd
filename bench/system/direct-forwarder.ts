import fs from 'node:fs';
import express from 'express';
import { Events } from 'discord.js';
import { Routes } from 'discord-api-types/v10';
import { createDiscordClient } from '../../src/bot/create-client';
import { REST } from '@discordjs/rest';
import { createTwilioClient } from '../../src/activities/twilio/twilio-client';
import { requireTwilioSignature } from '../../src/webhooks/twilio/twilio-signature';

/*
 * The baseline the relay benchmark compares flexcord with: the seed's design, a direct forwarder with no Temporal
 * and no durability. A Discord DM goes from the gateway handler straight to the Twilio conversation; an agent's
 * webhook goes straight to a Discord post. Same client libraries (discord.js, twilio-node through flexcord's
 * rebasing HTTP client, @discordjs/rest), same signature check, same fakes. Run as its own process by the harness.
 *
 * Environment: DISCORD_API_URL, DISCORD_TOKEN, TWILIO_API_BASE_URL, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,
 * HTTP_PORT, PUBLIC_BASE_URL, ROUTES_FILE (JSON: [{ userId, dmChannelId, conversationSid, identity }]),
 * DISCORD_GLOBAL_RATE_LIMIT (the bot's global limit, as flexcord is told it; default 50).
 */
interface Route {
  userId: string;
  dmChannelId: string;
  conversationSid: string;
  /** The customer's identity in the Twilio conversation. */
  identity: string;
}

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main() {
  const routes = JSON.parse(fs.readFileSync(need('ROUTES_FILE'), 'utf8')) as Route[];
  const byUser = new Map(routes.map((r) => [r.userId, r]));
  const byConversation = new Map(routes.map((r) => [r.conversationSid, r]));
  const twilio = createTwilioClient({
    accountSid: need('TWILIO_ACCOUNT_SID'),
    authToken: need('TWILIO_AUTH_TOKEN'),
    apiBaseUrl: need('TWILIO_API_BASE_URL'),
  });
  // As a forwarder without a durable retry would use discord.js: its REST client waits out a rate limit (and
  // retries a failed request a few times) instead of refusing, at the same raised global limit flexcord gets.
  const rest = new REST({
    api: need('DISCORD_API_URL'),
    globalRequestsPerSecond: Number(process.env.DISCORD_GLOBAL_RATE_LIMIT ?? 50),
  }).setToken(need('DISCORD_TOKEN'));

  const app = express();
  app.post(
    '/twilio/conversations',
    express.urlencoded({ extended: false }),
    requireTwilioSignature({ authToken: need('TWILIO_AUTH_TOKEN'), publicBaseUrl: need('PUBLIC_BASE_URL') }),
    async (req, res) => {
      const body = req.body as Record<string, string>;
      const route = byConversation.get(body.ConversationSid ?? '');
      if (body.EventType !== 'onMessageAdded' || !route || body.Author === route.identity) {
        res.status(200).end();
        return;
      }
      try {
        await rest.post(Routes.channelMessages(route.dmChannelId), {
          body: { content: `**${body.Author}** (support): ${body.Body}`, allowed_mentions: { parse: [] } },
        });
        res.status(200).end();
      } catch (err) {
        console.error('post to Discord failed', err);
        res.status(500).end();
      }
    },
  );
  const port = Number(need('HTTP_PORT'));
  await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', () => resolve()));

  const client = createDiscordClient({ apiUrl: need('DISCORD_API_URL') });
  client.on(Events.MessageCreate, (message) => {
    const route = byUser.get(message.author.id);
    if (message.author.bot || !route || message.channelId !== route.dmChannelId) return;
    twilio.conversations.v1
      .conversations(route.conversationSid)
      .messages.create({ author: route.identity, body: message.content })
      .catch((err: unknown) => console.error('post to Twilio failed', err));
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(need('DISCORD_TOKEN'));
  await ready;
  console.log('direct forwarder ready');
  const stop = () => {
    void client.destroy().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
