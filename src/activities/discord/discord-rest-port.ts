import { createHash } from 'node:crypto';
import { REST } from '@discordjs/rest';
import { ApplicationFailure } from '@temporalio/common';
import {
  type APIChannel,
  type APIMessage,
  type APIThreadChannel,
  type APIUser,
  ChannelType,
  Routes,
  type RESTGetAPIGuildThreadsResult,
} from 'discord-api-types/v10';
import { compareSnowflakes, isAfter, snowflakeAt } from '../../shared/discord-snowflake';
import { SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';
import type { DiscordChannelRef, DiscordUserRef, OutboundDiscordMessage } from '../../shared/support-types';
import { isAlreadyCrossposted, isDmClosed, isUnknownMessage } from './errors';
import { type AnnouncementEmbed, type DiscordPort } from './port';
import { isSameMessage } from './own-message';
import { DiscordSetupError } from './setup-errors';
import { announcementBody, type DiscordMessageBody, renderMessage } from './render-message';

export interface DiscordRestPortOptions {
  token: string;
  /** Overrides the API base (tests point it at the local fake). */
  apiUrl?: string;
  /** The channel private support threads are opened in; otherwise the guild's channel named `supportChannelName`. */
  supportChannelId?: string;
  supportChannelName?: string;
}

/** Builds the REST client the worker uses: rate limits and server errors surface, so Temporal decides retries. */
export function createDiscordRest(options: {
  token: string;
  apiUrl?: string;
  /** Discord's global limit for the bot (the client refuses locally beyond it within one second); default 50. */
  globalRequestsPerSecond?: number;
  /** How long one request may take (default 15 s); `flexcord doctor` gives up sooner. */
  timeoutMs?: number;
}): REST {
  return new REST({
    ...(options.apiUrl ? { api: options.apiUrl } : {}),
    ...(options.globalRequestsPerSecond ? { globalRequestsPerSecond: options.globalRequestsPerSecond } : {}),
    rejectOnRateLimit: () => true,
    retries: 0,
    timeout: options.timeoutMs ?? 15_000,
  }).setToken(options.token);
}

/** Discord's page size for reading messages. */
const PAGE_SIZE = 100;
/** A retry looks at most this many pages for its own post: support channels and announcement channels are quiet. */
const FIND_PAGES = 10;
/** Tolerated difference between the worker's clock and Discord's when turning a time into a message id. */
const CLOCK_SKEW_MS = 10_000;

/** Discord nonces are at most 25 characters; a hash keeps each part of a logical message distinct and stable. */
export function nonceFor(dedupeKey: string, part: number): string {
  return createHash('sha256').update(`${dedupeKey}#${part}`).digest('base64url').slice(0, 25);
}

export function supportThreadName(user: DiscordUserRef): string {
  // The user id keeps the name unique, so a retried activity finds the thread it already made.
  return `help-${user.userName.slice(0, 60)}-${user.userId}`;
}

/** DiscordPort on Discord's REST API only: the worker never opens a gateway connection. */
export class DiscordRestPort implements DiscordPort {
  private me?: string;

  constructor(
    private readonly rest: REST,
    private readonly options: Pick<DiscordRestPortOptions, 'supportChannelId' | 'supportChannelName'> = {},
  ) {}

  async openSupportChannel(input: {
    user: DiscordUserRef;
    preferThread: boolean;
  }): Promise<DiscordChannelRef> {
    if (!input.preferThread) {
      const dm = (await this.rest.post(Routes.userChannels(), {
        body: { recipient_id: input.user.userId },
      })) as APIChannel;
      return { channelId: dm.id, kind: 'dm' };
    }
    return { channelId: await this.privateThreadFor(input.user), kind: 'thread' };
  }

  async send(
    message: OutboundDiscordMessage,
    retry?: { sinceMs: number },
  ): Promise<{ messageIds: string[]; parts: number }> {
    const bodies = renderMessage(message);
    const parts = message.part === undefined ? [...bodies.keys()] : [message.part];
    const channelId = message.channel.channelId;
    const messageIds: string[] = [];
    let after = message.after;
    for (const part of parts) {
      const body = bodies[part];
      if (!body) {
        throw ApplicationFailure.nonRetryable(
          `message ${message.dedupeKey} has ${bodies.length} parts, not part ${part}`,
          SUPPORT_FAILURE_TYPES.badRequest,
        );
      }
      // The nonce covers a retry within Discord's window; past it, only finding the earlier post does.
      let id = retry
        ? await this.findOwnMessage({ channelId, sinceMs: retry.sinceMs, after, body })
        : undefined;
      id ??= (
        (await this.rest.post(Routes.channelMessages(channelId), {
          body: { ...body, nonce: nonceFor(message.dedupeKey, part), enforce_nonce: true },
        })) as APIMessage
      ).id;
      messageIds.push(id);
      after = id;
    }
    return { messageIds, parts: bodies.length };
  }

  async editMessage(input: {
    message: OutboundDiscordMessage;
    messageIds: string[];
  }): Promise<{ messageIds: string[] }> {
    const channelId = input.message.channel.channelId;
    const bodies = renderMessage(input.message);
    const kept: string[] = [];
    for (const [part, id] of input.messageIds.entries()) {
      const body = bodies[part];
      if (!body) {
        await this.deleteOne(channelId, id);
        continue;
      }
      try {
        // Fields left out stay as they were: say explicitly that the edited part has no embeds or buttons.
        await this.rest.patch(Routes.channelMessage(channelId, id), {
          body: { content: body.content ?? '', embeds: body.embeds ?? [], components: body.components ?? [] },
        });
        kept.push(id);
      } catch (err) {
        if (!isUnknownMessage(err)) throw err;
      }
    }
    for (let part = input.messageIds.length; part < bodies.length; part++) {
      const posted = (await this.rest.post(Routes.channelMessages(channelId), {
        body: { ...bodies[part], nonce: nonceFor(input.message.dedupeKey, part), enforce_nonce: true },
      })) as APIMessage;
      kept.push(posted.id);
    }
    return { messageIds: kept };
  }

  async deleteMessages(input: { channel: DiscordChannelRef; messageIds: string[] }): Promise<void> {
    for (const id of input.messageIds) await this.deleteOne(input.channel.channelId, id);
  }

  private async deleteOne(channelId: string, messageId: string): Promise<void> {
    try {
      await this.rest.delete(Routes.channelMessage(channelId, messageId));
    } catch (err) {
      // Deleted already (by an earlier attempt, or by a moderator): the goal is reached.
      if (!isUnknownMessage(err)) throw err;
    }
  }

  async sendDirectMessage(
    input: {
      userId: string;
      dedupeKey: string;
      text: string;
    },
    retry?: { sinceMs: number },
  ): Promise<{ delivered: boolean }> {
    const dm = (await this.rest.post(Routes.userChannels(), {
      body: { recipient_id: input.userId },
    })) as APIChannel;
    try {
      await this.send(
        {
          channel: { channelId: dm.id, kind: 'dm' },
          dedupeKey: input.dedupeKey,
          kind: 'notice',
          text: input.text,
        },
        retry,
      );
      return { delivered: true };
    } catch (err) {
      if (isDmClosed(err)) return { delivered: false };
      throw err;
    }
  }

  async findGuildChannel(input: {
    guildId: string;
    name: string;
  }): Promise<{ channelId: string; announcement: boolean } | undefined> {
    const channels = (await this.rest.get(Routes.guildChannels(input.guildId))) as APIChannel[];
    const found = channels.find(
      (c) =>
        'name' in c &&
        c.name === input.name &&
        (c.type === ChannelType.GuildText || c.type === ChannelType.GuildAnnouncement),
    );
    return found && { channelId: found.id, announcement: found.type === ChannelType.GuildAnnouncement };
  }

  async postAnnouncement(input: {
    channelId: string;
    dedupeKey: string;
    embed: AnnouncementEmbed;
  }): Promise<{ messageId: string }> {
    const posted = (await this.rest.post(Routes.channelMessages(input.channelId), {
      body: {
        ...announcementBody(input.embed),
        nonce: nonceFor(input.dedupeKey, 0),
        enforce_nonce: true,
      },
    })) as APIMessage;
    return { messageId: posted.id };
  }

  async findOwnMessage(input: {
    channelId: string;
    sinceMs: number;
    after?: string;
    body: DiscordMessageBody;
  }): Promise<string | undefined> {
    const me = await this.botUserId();
    // Oldest first from just before `sinceMs` (the worker's clock may run a little ahead of Discord's), or from
    // `after` when that is later.
    let after = snowflakeAt(input.sinceMs - CLOCK_SKEW_MS);
    if (input.after && /^\d+$/.test(input.after) && isAfter(input.after, after)) after = input.after;
    for (let page = 0; page < FIND_PAGES; page++) {
      const messages = (await this.rest.get(Routes.channelMessages(input.channelId), {
        query: new URLSearchParams({ after, limit: String(PAGE_SIZE) }),
      })) as APIMessage[];
      const ordered = [...messages].sort((a, b) => compareSnowflakes(a.id, b.id));
      const found = ordered.find((m) => m.author.id === me && isSameMessage(m, input.body));
      if (found) return found.id;
      if (messages.length < PAGE_SIZE) return undefined;
      after = ordered.at(-1)!.id;
    }
    return undefined;
  }

  private async botUserId(): Promise<string> {
    this.me ??= ((await this.rest.get(Routes.user())) as APIUser).id;
    return this.me;
  }

  async crosspost(input: { channelId: string; messageId: string }): Promise<void> {
    try {
      await this.rest.post(Routes.channelMessageCrosspost(input.channelId, input.messageId));
    } catch (err) {
      // A retry after a crosspost that landed but whose answer was lost: the goal is already reached.
      if (!isAlreadyCrossposted(err)) throw err;
    }
  }

  private async privateThreadFor(user: DiscordUserRef): Promise<string> {
    const parentId = await this.supportChannelId(user.guildId);
    const name = supportThreadName(user);
    const active = (await this.rest.get(
      Routes.guildActiveThreads(user.guildId),
    )) as RESTGetAPIGuildThreadsResult;
    const existing = active.threads.find(
      (t) => t.name === name && (t as APIThreadChannel).parent_id === parentId,
    );
    const threadId =
      existing?.id ??
      (
        (await this.rest.post(Routes.threads(parentId), {
          body: { name, type: ChannelType.PrivateThread, invitable: false, auto_archive_duration: 1440 },
        })) as APIChannel
      ).id;
    // Private threads are visible to their members and to staff with Manage Threads (see setup-channels).
    await this.rest.put(Routes.threadMembers(threadId, user.userId));
    return threadId;
  }

  private async supportChannelId(guildId: string): Promise<string> {
    if (this.options.supportChannelId) return this.options.supportChannelId;
    const wanted = this.options.supportChannelName ?? 'support';
    const channels = (await this.rest.get(Routes.guildChannels(guildId))) as APIChannel[];
    const found = channels.find((c) => 'name' in c && c.name === wanted && c.type === ChannelType.GuildText);
    if (!found) {
      throw new DiscordSetupError(
        `guild ${guildId} has no #${wanted} channel for private support threads; run ` +
          `\`flexcord setup-channels --guild ${guildId}\` (or /setup_channels in the server), or set ` +
          `DISCORD_SUPPORT_CHANNEL_ID`,
      );
    }
    return found.id;
  }
}
