import { type AnnouncementEmbed, type DiscordPort } from './port';
import { toActivityFailure } from './errors';
import type { DiscordChannelRef, DiscordUserRef, OutboundDiscordMessage } from '../../shared/support-types';

export interface DiscordDeps {
  discord: DiscordPort;
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
    async sendToDiscord(message: OutboundDiscordMessage): Promise<{ messageIds: string[] }> {
      return translated(() => port.send(message));
    },
    async sendDirectMessage(input: {
      userId: string;
      dedupeKey: string;
      text: string;
    }): Promise<{ delivered: boolean }> {
      return translated(() => port.sendDirectMessage(input));
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
