import { type REST } from '@discordjs/rest';
import { ApplicationFailure } from '@temporalio/common';
import { type Logger } from 'pino';
import { type Config } from '../../config';
import { SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';
import { createDiscordRest, DiscordRestPort } from './discord-rest-port';
import { type DiscordPort } from './port';

/**
 * The worker's Discord adapter from config. Without DISCORD_TOKEN the worker still runs (other activities work) and
 * Discord activities fail permanently with a message an operator can act on, instead of retrying forever.
 */
export function buildDiscordPort(
  discord: Config['discord'],
  logger: Logger,
  /** Sees the REST client once built (metrics, traces). */
  observe?: (rest: REST) => void,
): DiscordPort {
  if (!discord.token) {
    logger.warn('DISCORD_TOKEN is not set: Discord activities will fail until it is');
    const missing = async (): Promise<never> => {
      throw ApplicationFailure.nonRetryable(
        'DISCORD_TOKEN is not set on the worker',
        SUPPORT_FAILURE_TYPES.forbidden,
      );
    };
    return {
      openSupportChannel: missing,
      send: missing,
      sendDirectMessage: missing,
      findGuildChannel: missing,
      postAnnouncement: missing,
      crosspost: missing,
      findOwnMessage: missing,
      editMessage: missing,
      deleteMessages: missing,
    };
  }
  const rest = createDiscordRest({
    token: discord.token,
    apiUrl: discord.apiUrl,
    globalRequestsPerSecond: discord.globalRateLimit,
  });
  observe?.(rest);
  return new DiscordRestPort(rest, {
    supportChannelId: discord.supportChannelId,
    supportChannelName: discord.supportChannelName,
  });
}
