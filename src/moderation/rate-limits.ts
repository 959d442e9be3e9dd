import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
} from 'rate-limiter-flexible';
import { type CaseDatabase } from '../cases/database';

/** What is counted per user and server. */
export type LimitedAction = 'conversations' | 'reports';

/** At most `points` per `windowSeconds`; 0 points: no limit. */
export interface RateLimitSetting {
  points: number;
  windowSeconds: number;
}

export type RateLimitSettings = Record<LimitedAction, RateLimitSetting>;

export type LimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts one action per key and says whether it stays within the limit; `refund` gives one back. */
export interface RateLimits {
  take(action: LimitedAction, key: string): Promise<LimitResult>;
  /** Whether one more would still be allowed, without counting it. */
  peek(action: LimitedAction, key: string): Promise<LimitResult>;
  refund(action: LimitedAction, key: string): Promise<void>;
}

const TABLE = 'flexcord_rate_limits';

/**
 * Per-user limits kept in the case store's database with rate-limiter-flexible's SQLite or PostgreSQL store:
 * counts survive a restart of the bot and hold across several bot processes, and each count is one atomic upsert.
 * The table is created by the moderation migrations. A database error lets the action through (and is passed to
 * `onError`): a limit is a brake on abuse, never a reason to turn everyone away.
 */
export function durableRateLimits(
  database: Pick<CaseDatabase, 'driver'>,
  settings: RateLimitSettings,
  onError: (err: unknown) => void = () => undefined,
): RateLimits {
  const limiters = new Map<LimitedAction, RateLimiterAbstract>();
  for (const action of Object.keys(settings) as LimitedAction[]) {
    const { points, windowSeconds } = settings[action];
    if (points <= 0) continue;
    // No clean-up timer (`clearExpiredByTimeout`, on by default for PostgreSQL): it would outlive the database
    // when a role stops, and the rows stay few anyway (one per user and action, reused once expired).
    const common = {
      keyPrefix: action,
      points,
      duration: windowSeconds,
      tableName: TABLE,
      tableCreated: true,
      clearExpiredByTimeout: false,
    };
    limiters.set(
      action,
      database.driver.kind === 'sqlite'
        ? new RateLimiterSQLite({
            ...common,
            storeClient: database.driver.database,
            storeType: 'better-sqlite3',
          })
        : new RateLimiterPostgres({
            ...common,
            storeClient: database.driver.pool,
          }),
    );
  }
  return limitsOn(limiters, settings, onError);
}

/** The same limits in process memory, for tests and for notices that only need to be rare. */
export function memoryRateLimits(settings: RateLimitSettings): RateLimits {
  const limiters = new Map<LimitedAction, RateLimiterAbstract>();
  for (const action of Object.keys(settings) as LimitedAction[]) {
    const { points, windowSeconds } = settings[action];
    if (points > 0)
      limiters.set(action, new RateLimiterMemory({ keyPrefix: action, points, duration: windowSeconds }));
  }
  return limitsOn(limiters, settings, () => undefined);
}

function limitsOn(
  limiters: Map<LimitedAction, RateLimiterAbstract>,
  settings: RateLimitSettings,
  onError: (err: unknown) => void,
): RateLimits {
  const refused = (res: RateLimiterRes): LimitResult => ({
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  });
  return {
    async take(action, key) {
      const limiter = limiters.get(action);
      if (!limiter) return { allowed: true };
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (err) {
        if (err instanceof RateLimiterRes) return refused(err);
        onError(err);
        return { allowed: true };
      }
    },
    async peek(action, key) {
      const limiter = limiters.get(action);
      if (!limiter) return { allowed: true };
      try {
        const res = await limiter.get(key);
        return res && res.consumedPoints >= settings[action].points ? refused(res) : { allowed: true };
      } catch (err) {
        onError(err);
        return { allowed: true };
      }
    },
    async refund(action, key) {
      try {
        await limiters.get(action)?.reward(key, 1);
      } catch (err) {
        onError(err);
      }
    },
  };
}
