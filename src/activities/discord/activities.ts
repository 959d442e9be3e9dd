import { Context } from '@temporalio/activity';
import { DiscordAPIError, RateLimitError } from '@discordjs/rest';
import { ApplicationFailure } from '@temporalio/common';
import { type AnnouncementEmbed, type DiscordPort } from './port';
import { announcementBody } from './render-message';
import { toActivityFailure } from './errors';
import type { DiscordChannelRef, DiscordUserRef, OutboundDiscordMessage } from '../../shared/support-types';

export interface DiscordDeps {
  discord: DiscordPort;
}

/**
 * Left in the heartbeat details by an attempt that Discord certainly did not post from: its post was refused by a
 * rate limit, after it had looked for an earlier post (or had no need to). The next attempt then has nothing to
 * look for either.
 */
interface NotPostedNote {
  attempt: number;
  notPosted: true;
}

/**
 * On a retry the earlier attempt may have posted and lost its answer, and Discord's nonce only guards a few minutes:
 * the adapter then looks for its own post (made since the activity was first scheduled) before posting again,
 * unless the previous attempt left a note that it certainly did not post.
 */
function retryOf(): { sinceMs: number } | undefined {
  let info: Context['info'];
  try {
    info = Context.current().info;
  } catch {
    return undefined; // called outside an activity (the adapter's own tests)
  }
  if (info.attempt <= 1) return undefined;
  const note = info.heartbeatDetails as Partial<NotPostedNote> | undefined;
  if (note?.notPosted === true && note.attempt === info.attempt - 1) return undefined;
  return { sinceMs: info.scheduledTimestampMs };
}

/**
 * A refusal of the post itself by a rate limit (Discord's 429 or the client's own bucket): nothing was posted by
 * this request. A refusal of the look-up before it says nothing about earlier attempts, so only the POST counts.
 */
function refusedPost(err: unknown): boolean {
  if (err instanceof RateLimitError) return err.method.toLowerCase() === 'post';
  if (err instanceof DiscordAPIError) return err.status === 429 && err.method.toLowerCase() === 'post';
  return false;
}

function noteNotPosted(): void {
  try {
    const { attempt } = Context.current().info;
    Context.current().heartbeat({ attempt, notPosted: true } satisfies NotPostedNote);
  } catch {
    // outside an activity: nothing to note
  }
}

async function translated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toActivityFailure(err);
  }
}

/** The Discord side of the support workflow; every failure is classed retryable or not by toActivityFailure. */
export function createDiscordActivities(port: DiscordPort) {
  return {
    async openSupportChannel(input: {
      user: DiscordUserRef;
      preferThread: boolean;
    }): Promise<DiscordChannelRef> {
      return translated(() => port.openSupportChannel(input));
    },
    async sendToDiscord(message: OutboundDiscordMessage): Promise<{ messageIds: string[]; parts: number }> {
      try {
        return await port.send(message, retryOf());
      } catch (err) {
        // One part per attempt (patch discord-send-parts): a refused post means this attempt posted nothing.
        if (message.part !== undefined && refusedPost(err)) noteNotPosted();
        throw toActivityFailure(err);
      }
    },
    /** An agent edited their message in Flex: the same edit in Discord (re-rendered, parts as needed). */
    async editDiscordMessage(input: {
      message: OutboundDiscordMessage;
      messageIds: string[];
    }): Promise<{ messageIds: string[] }> {
      return translated(() => port.editMessage(input));
    },
    /** An agent removed their message in Flex: gone from Discord too. */
    async deleteDiscordMessages(input: { channel: DiscordChannelRef; messageIds: string[] }): Promise<void> {
      return translated(() => port.deleteMessages(input));
    },
    async sendDirectMessage(input: {
      userId: string;
      dedupeKey: string;
      text: string;
    }): Promise<{ delivered: boolean }> {
      return translated(() => port.sendDirectMessage(input, retryOf()));
    },
    /**
     * Several DMs in one step (the reporters of a report's duplicates): a thousand of them are fifty steps, not a
     * thousand, in the workflow's history. A retry finds the DMs an earlier attempt already sent.
     */
    async sendDirectMessages(input: {
      messages: { userId: string; dedupeKey: string; text: string }[];
    }): Promise<{ delivered: boolean[] }> {
      const retry = retryOf();
      const delivered: boolean[] = [];
      for (const message of input.messages) {
        try {
          delivered.push((await translated(() => port.sendDirectMessage(message, retry))).delivered);
        } catch (err) {
          // One user who cannot get DMs at all (left Discord: 50033) must not hold up the others; an outage
          // (retryable) fails the batch, and its retry finds what was already sent.
          if (!(err instanceof ApplicationFailure && err.nonRetryable)) throw err;
          delivered.push(false);
        }
      }
      return { delivered };
    },
    /**
     * Posts one embed into a guild channel found by name (staff follow-up reminders). A missing channel is not an
     * error worth retrying: it answers `posted: false` so the caller can carry on and say so.
     */
    async postGuildChannelNotice(input: {
      guildId: string;
      channelName: string;
      dedupeKey: string;
      embed: AnnouncementEmbed;
    }): Promise<{ posted: boolean; messageId?: string }> {
      const channel = await translated(() =>
        port.findGuildChannel({ guildId: input.guildId, name: input.channelName }),
      );
      if (!channel) return { posted: false };
      const retry = retryOf();
      const found =
        retry &&
        (await translated(() =>
          port.findOwnMessage({
            channelId: channel.channelId,
            sinceMs: retry.sinceMs,
            body: announcementBody(input.embed),
          }),
        ));
      if (found) return { posted: true, messageId: found };
      const { messageId } = await translated(() =>
        port.postAnnouncement({
          channelId: channel.channelId,
          dedupeKey: input.dedupeKey,
          embed: input.embed,
        }),
      );
      return { posted: true, messageId };
    },
  };
}

export type DiscordActivities = ReturnType<typeof createDiscordActivities>;
