import type { DiscordChannelRef, DiscordUserRef, OutboundDiscordMessage } from '../../shared/support-types';
import type { DiscordMessageBody } from './render-message';

/**
 * What flexcord needs from Discord, in its own words. The real adapter talks REST v10 through @discordjs/rest;
 * tests plug in fakes. Errors: throw `DiscordApiError` (see errors.ts) so activities can tell retryable from not.
 */
/** An announcement as one embed: the title links to the source, the description is a short excerpt. */
export interface AnnouncementEmbed {
  title: string;
  url?: string;
  description?: string;
  /** ISO 8601; Discord shows it in the reader's time zone. */
  timestamp?: string;
  footer?: string;
}

export interface DiscordPort {
  /** Opens the user's DM channel, or a private thread in the support channel when DMs are closed or preferred. */
  openSupportChannel(input: { user: DiscordUserRef; preferThread: boolean }): Promise<DiscordChannelRef>;
  /**
   * Posts one message (split at 2000 chars, articles as embeds, buttons as components), or only `message.part` of
   * it; `parts` is how many parts the whole message has. With `retry`, an earlier attempt (first scheduled at
   * `retry.sinceMs`) may have posted already: each part is looked for before it is posted.
   */
  send(
    message: OutboundDiscordMessage,
    retry?: { sinceMs: number },
  ): Promise<{ messageIds: string[]; parts: number }>;
  /** A DM outside a support conversation (case updates); false when the user's DMs are closed. */
  sendDirectMessage(
    input: {
      userId: string;
      dedupeKey: string;
      text: string;
    },
    retry?: { sinceMs: number },
  ): Promise<{ delivered: boolean }>;
  /** A guild channel (not a thread) by name; `announcement` when its posts can be crossposted to followers. */
  findGuildChannel(input: {
    guildId: string;
    name: string;
  }): Promise<{ channelId: string; announcement: boolean } | undefined>;
  /** Posts one embed; `dedupeKey` becomes the message nonce, so a retried post is not doubled. */
  postAnnouncement(input: {
    channelId: string;
    dedupeKey: string;
    embed: AnnouncementEmbed;
  }): Promise<{ messageId: string }>;
  /** Publishes a message of an announcement channel to the servers that follow it; already published is success. */
  crosspost(input: { channelId: string; messageId: string }): Promise<void>;
  /**
   * Shows `message` instead of what the bot posted as `messageIds` (an agent edited in Flex): each part is edited in
   * place, parts the new text no longer needs are deleted, and parts it needs more are posted after them. A part
   * deleted meanwhile is skipped. Returns the ids the message now has.
   */
  editMessage(input: {
    message: OutboundDiscordMessage;
    messageIds: string[];
  }): Promise<{ messageIds: string[] }>;
  /** Deletes the bot's messages (an agent removed theirs in Flex); one already gone is not an error. */
  deleteMessages(input: { channel: DiscordChannelRef; messageIds: string[] }): Promise<void>;
  /**
   * The id of a message the bot posted in the channel at or after `sinceMs` that looks exactly like `body`, if any:
   * how a retry finds its own post after Discord's nonce window (a few minutes) has passed.
   */
  findOwnMessage(input: {
    channelId: string;
    sinceMs: number;
    /** Look only after this message id as well (a send's previous part, the conversation's last post). */
    after?: string;
    body: DiscordMessageBody;
  }): Promise<string | undefined>;
}
