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

/**
 * Requests per second the send queue may use: Discord's global limit less one, for the bot's own few calls
 * (interaction answers do not count against the limit) and the look-ups of retries whose answer was lost.
 */
export function discordSendRate(globalRateLimit: number): number {
  return Math.max(1, globalRateLimit - 1);
}

/**
 * Temporal divides a task queue's rate limit among the queue's partitions (four by default), and with a light
 * backlog some partitions idle while others are full, so the queue as a whole stays well under the limit (measured:
 * 72% of it with four partitions, 92% with one). The send queue is small enough for one partition: flexcord's
 * embedded dev server and the compose stack's Temporal configure it so; other clusters should too.
 */
export const DISCORD_SEND_QUEUE_PARTITIONS = 1;
