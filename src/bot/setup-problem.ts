import { ApplicationFailure } from '@temporalio/common';
import { SUPPORT_FAILURE_TYPES } from '../shared/support-failures';
import { UserFacingError } from './error-boundary';
import { type Locale, t } from '../shared/i18n/translate';

/**
 * When a conversation failed because the server is not set up for flexcord (no #support channel, a permission the
 * bot lacks), the user hears that at once, with what an admin must do; anything else is rethrown as it was.
 */
export function explainSetupProblem(err: unknown, locale?: Locale): never {
  const problem = setupProblemOf(err);
  if (problem === undefined) throw err;
  throw new UserFacingError(t(locale, 'bot.notSetUp', { problem: problem.slice(0, 1500) }));
}

function setupProblemOf(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof ApplicationFailure && e.type === SUPPORT_FAILURE_TYPES.discordSetup) return e.message;
  }
  return undefined;
}
