import { type Client, Events, type Message } from 'discord.js';
import { type BotDeps } from './bot-deps';
import { catchUp, RecentMessages } from './catch-up';
import { dispatchInteraction } from './dispatch-interaction';
import { routeMessage } from './route-message';
import { routeMessageChange } from './route-message-change';
import { type BotContext } from './types';

/** First wait before a failed catch-up is tried again; it doubles up to the maximum. */
const CATCH_UP_RETRY_MS = 5_000;
const CATCH_UP_MAX_RETRY_MS = 5 * 60_000;
/** How long a live message waits for a catch-up in progress, so it follows the older messages it finds. */
const MAX_WAIT_FOR_CATCH_UP_MS = 15_000;

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
  const recent = new RecentMessages();
  const route = async (message: Message, options: { fromCatchUp?: boolean } = {}) => {
    if (!recent.add(message.id)) return;
    try {
      await routeMessage(message, ctx, options);
    } catch (err) {
      // The message stays in Discord; the user can repeat it. Logged with ids only, never the content.
      log.error({ err, messageId: message.id, channelId: message.channelId }, 'could not route a message');
    }
  };

  // Discord does not replay what was sent while no session was open: each new session (not a resume) starts with
  // a catch-up, and messages arriving meanwhile wait for it, so they follow the older ones it finds.
  let catchingUp: Promise<void> = Promise.resolve();
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const runCatchUp = async (attempt: number): Promise<void> => {
    if (stopped) return;
    try {
      const done = await catchUp(ctx, (message) => route(message, { fromCatchUp: true }));
      ctx.caughtUp = true;
      log.info(done, 'caught up on messages sent while the bot was away');
    } catch (err) {
      // Temporal or the worker is not answering yet: live messages go on, the catch-up is tried again.
      const delay = Math.min(CATCH_UP_RETRY_MS * 2 ** attempt, CATCH_UP_MAX_RETRY_MS);
      log.warn({ err, retryInMs: delay }, 'could not catch up on missed messages; trying again');
      retry = setTimeout(() => {
        catchingUp = catchingUp.then(() => runCatchUp(attempt + 1));
      }, delay);
    }
  };
  client.on(Events.ShardReady, () => {
    clearTimeout(retry);
    ctx.caughtUp = false;
    catchingUp = catchingUp.then(() => runCatchUp(0));
  });
  client.on(Events.MessageCreate, (message) => {
    // Never held for long: a catch-up stuck on Temporal delays order, it must not delay delivery.
    const waited = new Promise<void>((resolve) => setTimeout(resolve, MAX_WAIT_FOR_CATCH_UP_MS).unref());
    void Promise.race([catchingUp, waited]).then(() => route(message));
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
      stopped = true;
      clearTimeout(retry);
      await client.destroy();
    },
  };
}
