import { type Client, Events } from 'discord.js';
import { type BotDeps } from './bot-deps';
import { dispatchInteraction } from './dispatch-interaction';
import { routeMessage } from './route-message';
import { routeMessageChange } from './route-message-change';
import { type BotContext } from './types';

export interface RunningBot {
  client: Client;
  stop(): Promise<void>;
}

/** Attaches flexcord's handlers to a discord.js client and logs in; resolves once the gateway says READY. */
export async function startBot(client: Client, deps: BotDeps, token: string): Promise<RunningBot> {
  const ctx: BotContext = { deps, client };
  const log = deps.logger;
  client.on(Events.InteractionCreate, (interaction) => {
    void dispatchInteraction(interaction, ctx);
  });
  client.on(Events.MessageCreate, (message) => {
    routeMessage(message, ctx).catch((err: unknown) =>
      // The message stays in Discord; the user can repeat it. Logged with ids only, never the content.
      log.error({ err, messageId: message.id, channelId: message.channelId }, 'could not route a message'),
    );
  });
  client.on(Events.MessageUpdate, (_old, message) => {
    routeMessageChange({ kind: 'edited', message }, ctx).catch((err: unknown) =>
      log.error(
        { err, messageId: message.id, channelId: message.channelId },
        'could not route a message edit',
      ),
    );
  });
  client.on(Events.MessageDelete, (message) => {
    routeMessageChange({ kind: 'deleted', message }, ctx).catch((err: unknown) =>
      log.error(
        { err, messageId: message.id, channelId: message.channelId },
        'could not route a message deletion',
      ),
    );
  });
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(token);
  await ready;
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord bot connected');
  return {
    client,
    async stop() {
      await client.destroy();
    },
  };
}
