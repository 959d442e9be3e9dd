/*
 * One doctor check: a name, whether it passed, what it found and, when it failed, what to do about it. A check that
 * cannot run because an earlier one failed (no token, so no Discord calls) is skipped and says why.
 */

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckOutcome {
  status: CheckStatus;
  /** What was found, in one line: who the bot is, how many articles, why it failed. */
  detail: string;
  /** What to do, for a failed check: a command to run, a variable to set. */
  fix?: string;
}

export interface CheckResult extends CheckOutcome {
  /** Stable id for scripts (`discord.token`), kept across versions. */
  id: string;
  /** What is checked, for people (`Discord token`). */
  title: string;
  /** How long the check took. */
  ms: number;
}

export const pass = (detail: string): CheckOutcome => ({ status: 'pass', detail });
export const fail = (detail: string, fix: string): CheckOutcome => ({ status: 'fail', detail, fix });
export const skip = (detail: string): CheckOutcome => ({ status: 'skip', detail });

export class CheckTimeoutError extends Error {
  override name = 'CheckTimeoutError';
  constructor(ms: number) {
    super(`no answer within ${ms / 1000} s`);
  }
}

/** Rejects with CheckTimeoutError when `work` has not settled in `ms`, so one silent service cannot hang doctor. */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one check under a time limit. An exception the check did not turn into an outcome is a failure with
 * `onError`'s fix: checks only handle the failures they can explain better.
 */
export async function runCheck(
  id: string,
  title: string,
  check: () => Promise<CheckOutcome>,
  options: { timeoutMs: number; onError: (err: unknown) => CheckOutcome },
): Promise<CheckResult> {
  const started = Date.now();
  let outcome: CheckOutcome;
  try {
    outcome = await withTimeout(check(), options.timeoutMs);
  } catch (err) {
    outcome = options.onError(err);
  }
  return { id, title, ...outcome, ms: Date.now() - started };
}
