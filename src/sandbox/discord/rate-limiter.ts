export interface RateLimitRule {
  /** e.g. `post /channels/{channel_id}/messages`; the major parameter (channel, guild) gets its own bucket. */
  route: string;
  limit: number;
  windowMs: number;
}

/** Discord's global limit: requests per bot token per window, whatever the route (interaction endpoints excepted). */
export interface GlobalRateLimit {
  limit: number;
  windowMs: number;
}

/** Discord's documented default: 50 requests per second per bot. */
export const DISCORD_GLOBAL_LIMIT: GlobalRateLimit = { limit: 50, windowMs: 1000 };

export interface RateLimitVerdict {
  headers: Record<string, string>;
  /** Set when the request is refused with a 429: seconds until it may be sent again. */
  retryAfter?: number;
  /** `user` for a route bucket (per bot), `global` for the global limit, as Discord's X-RateLimit-Scope says. */
  scope?: 'user' | 'global';
}

/**
 * Discord's rate limits: the global limit per bot token (a fixed window, as @discordjs/rest models it) and the
 * per-route buckets with X-RateLimit-* headers on every answer; a request over either gets a 429 with retry_after.
 */
export class FakeRateLimiter {
  private readonly buckets = new Map<string, { used: number; resetAt: number }>();
  private global = { used: 0, resetAt: 0 };
  /** Route buckets that refused a request (`<route>:<major parameter>`), one entry per 429. */
  readonly limited: string[] = [];
  /** Requests refused by the global limit, with when. */
  readonly globallyLimited: number[] = [];

  constructor(
    readonly rules: RateLimitRule[],
    readonly globalLimit: GlobalRateLimit | false = DISCORD_GLOBAL_LIMIT,
  ) {}

  /** The global limit, for requests authenticated with the bot token. */
  takeGlobal(now = Date.now()): RateLimitVerdict | undefined {
    const rule = this.globalLimit;
    if (!rule) return undefined;
    if (this.global.resetAt <= now) this.global = { used: 0, resetAt: now + rule.windowMs };
    if (this.global.used < rule.limit) {
      this.global.used += 1;
      return undefined;
    }
    this.globallyLimited.push(now);
    return {
      headers: { 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' },
      retryAfter: (this.global.resetAt - now) / 1000,
      scope: 'global',
    };
  }

  take(
    method: string,
    template: string,
    params: Record<string, string | string[] | undefined>,
  ): RateLimitVerdict | undefined {
    const route = `${method.toLowerCase()} ${template}`;
    const rule = this.rules.find((r) => r.route === route);
    if (!rule) return undefined;
    const major = String(params.channelId ?? params.guildId ?? params.token ?? '');
    const key = `${route}:${major}`;
    const now = Date.now();
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { used: 0, resetAt: now + rule.windowMs };
      this.buckets.set(key, bucket);
    }
    const resetAfter = (bucket.resetAt - now) / 1000;
    if (bucket.used >= rule.limit) {
      this.limited.push(key);
      return {
        headers: { ...this.headers(rule, 0, resetAfter, route), 'X-RateLimit-Scope': 'user' },
        retryAfter: resetAfter,
        scope: 'user',
      };
    }
    bucket.used += 1;
    return { headers: this.headers(rule, rule.limit - bucket.used, resetAfter, route) };
  }

  private headers(rule: RateLimitRule, remaining: number, resetAfter: number, route: string) {
    return {
      'X-RateLimit-Limit': String(rule.limit),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset-After': resetAfter.toFixed(3),
      'X-RateLimit-Reset': ((Date.now() + resetAfter * 1000) / 1000).toFixed(3),
      'X-RateLimit-Bucket': Buffer.from(route).toString('hex').slice(0, 32),
    };
  }
}
