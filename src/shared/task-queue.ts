/** The default task queue; TEMPORAL_TASK_QUEUE overrides it for every role alike. */
export const DEFAULT_TASK_QUEUE = 'flexcord';

/** Discord's global rate limit for a bot unless Discord raised it: 50 requests per second. */
export const DISCORD_DEFAULT_GLOBAL_RATE_LIMIT = 50;

/**
 * The task queue of the support conversations' Discord posts: every worker polls it, and the Temporal server
 * dispatches it at the bot's share of Discord's global rate limit, so the limit holds across worker processes.
 */
export function discordSendTaskQueue(taskQueue: string): string {
  return `${taskQueue}-discord-sends`;
}

/** Requests per second the send queue may use: Discord's global limit less two for the bot and retries' look-ups. */
export function discordSendRate(globalRateLimit: number): number {
  return Math.max(1, globalRateLimit - 2);
}
