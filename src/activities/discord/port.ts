import type { DiscordChannelRef, DiscordUserRef, OutboundDiscordMessage } from '../../shared/support-types';

/**
 * What flexcord needs from Discord, in its own words. The real adapter talks REST v10 through @discordjs/rest;
 * tests plug in fakes. Errors: throw `DiscordApiError` (see errors.ts) so activities can tell retryable from not.
 */
export interface DiscordPort {
  /** Opens the user's DM channel, or a private thread in the support channel when DMs are closed or preferred. */
  openSupportChannel(input: { user: DiscordUserRef; preferThread: boolean }): Promise<DiscordChannelRef>;
  /** Posts one message (split at 2000 chars, articles as embeds, buttons as components). */
  send(message: OutboundDiscordMessage): Promise<{ messageIds: string[] }>;
  /** A DM outside a support conversation (case updates); false when the user's DMs are closed. */
  sendDirectMessage(input: {
    userId: string;
    dedupeKey: string;
    text: string;
  }): Promise<{ delivered: boolean }>;
}
