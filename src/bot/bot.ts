import { type Client, Events, type Message } from 'discord.js';
import { type BotDeps } from './bot-deps';
import { catchUp, RecentMessages } from './catch-up';
import { CatchUpGate } from './catch-up-gate';
import { ChannelOrder } from './channel-order';
import { dispatchInteraction } from './dispatch-interaction';
import { InFlight } from './in-flight';
import { routeMessage } from './route-message';
import { routeMessageChange } from './route-message-change';
import { type BotContext } from './types';

/** First wait before a failed catch-up is tried again; it doubles up to the maximum. */
const CATCH_UP_RETRY_MS = 5_000;
const CATCH_UP_MAX_RETRY_MS = 5 * 60_000;
/** The longest a live message waits for its channel's catch-up (DISCORD_CATCH_UP_HOLD_SECONDS). */
const DEFAULT_CATCH_UP_HOLD_SECONDS = 60;
/** How long a graceful stop waits for messages being routed; what is left is found by the next catch-up. */
const STOP_WAIT_MS = 10_000;

export interface RunningBot {
  client: Client;
  /** Closes the gateway, then waits for what is being routed (at most `waitMs`, 10 s by default). */
  stop(options?: { waitMs?: number }): Promise<void>;
}

/** Attaches flexcord's handlers to a discord.js client and logs in; resolves once the gateway says READY. */
export async function startBot(client: Client, deps: BotDeps, token: string): Promise<RunningBot> {
  const ctx: BotContext = { deps, client };
  const log = deps.logger;
  const inFlight = new InFlight();
  client.on(Events.InteractionCreate, (interaction) => {
    void inFlight.track(dispatchInteraction(interaction, ctx));
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
  // a catch-up, and a live message waits for its own channel's part of it, so it follows the older ones found there.
  const gate = new CatchUpGate();
  ctx.catchUp = gate;
  const holdMs = (deps.discord.catchUpHoldSeconds ?? DEFAULT_CATCH_UP_HOLD_SECONDS) * 1000;
  const inChannelOrder = new ChannelOrder();
  let catchingUp: Promise<void> = Promise.resolve();
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;
  const runCatchUp = async (session: number, attempt: number): Promise<void> => {
    if (stopped) return;
    try {
      const done = await catchUp(ctx, (message) => route(message, { fromCatchUp: true }), gate, session);
      log.info(done, 'caught up on messages sent while the bot was away');
    } catch (err) {
      // Temporal or the worker is not answering yet, or a channel could not be read: the catch-up is tried again
      // (channels already read back are not read twice); live messages of the channels left wait, within bounds.
      const delay = Math.min(CATCH_UP_RETRY_MS * 2 ** attempt, CATCH_UP_MAX_RETRY_MS);
      log.warn({ err, retryInMs: delay }, 'could not catch up on missed messages; trying again');
      retry = setTimeout(() => {
        catchingUp = catchingUp.then(() => runCatchUp(session, attempt + 1));
      }, delay);
    }
  };
  client.on(Events.ShardReady, () => {
    clearTimeout(retry);
    const session = gate.begin();
    catchingUp = catchingUp.then(() => runCatchUp(session, 0));
  });
  client.on(Events.MessageCreate, (message) => {
    void inFlight.track(
      inChannelOrder.run(message.channelId, async () => {
        const waited = await gate.waitFor(message.channelId, holdMs);
        if (waited !== 'not_held') deps.metrics?.catchUpWaits.inc({ outcome: waited });
        // Bounded: a channel whose read keeps failing delays its messages' order, never their delivery. They go
        // marked as before the catch-up, so the conversation's cursor stays and the missed ones still come.
        if (waited === 'gave_up')
          log.warn(
            { messageId: message.id, channelId: message.channelId, heldMs: holdMs },
            'live message sent before its channel was read back after a new gateway session',
          );
        await route(message);
      }),
    );
  });
  client.on(Events.MessageUpdate, (_old, message) => {
    inFlight
      .track(routeMessageChange({ kind: 'edited', message }, ctx))
      .catch((err: unknown) =>
        log.error(
          { err, messageId: message.id, channelId: message.channelId },
          'could not route a message edit',
        ),
      );
  });
  client.on(Events.MessageDelete, (message) => {
    inFlight
      .track(routeMessageChange({ kind: 'deleted', message }, ctx))
      .catch((err: unknown) =>
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
    async stop({ waitMs = STOP_WAIT_MS } = {}) {
      stopped = true;
      clearTimeout(retry);
      // The gateway first, so no new event starts; then what is under way finishes, while its dependencies
      // (Temporal, the case database) are still open.
      await client.destroy();
      const left = await inFlight.drain(waitMs);
      if (left > 0) log.warn({ left, waitedMs: waitMs }, 'stopped while messages were still being routed');
    },
  };
}
