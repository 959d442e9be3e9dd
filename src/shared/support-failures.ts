/**
 * `ApplicationFailure` types that mean "retrying will not help". Adapters throw them with
 * `ApplicationFailure.nonRetryable(message, type)`; the support workflow's retry policies name them too, and it
 * reacts to `discordDmClosed` by moving the conversation to a private thread. Pure constants: bundled into workflows.
 */
export const SUPPORT_FAILURE_TYPES = {
  /** A 400/404/422-style rejection of our request. */
  badRequest: 'BadRequest',
  /** 401/403: our credentials or permissions are wrong; an operator must act. */
  forbidden: 'Forbidden',
  /** Discord refused a DM because the user closed their DMs (error 50007): fall back to a private thread. */
  discordDmClosed: 'DiscordDmClosed',
  /**
   * The Discord server is not set up for flexcord: a channel is missing or deleted, or the bot lacks a permission
   * (10003, 50001, 50013). The message names the fix; the user is told the server is not set up.
   */
  discordSetup: 'DiscordSetupRequired',
} as const;

export const NON_RETRYABLE_SUPPORT_FAILURES: string[] = Object.values(SUPPORT_FAILURE_TYPES);
