export interface RateLimitRule {
  /** e.g. `post /channels/{channel_id}/messages`; the major parameter (channel, guild) gets its own bucket. */
  route: string;
  limit: number;
  windowMs: number;
}

/** Discord's per-route buckets: X-RateLimit-* headers on every answer, 429 with retry_after once a bucket is empty. */
export class FakeRateLimiter {
  private readonly buckets = new Map<string, { used: number; resetAt: number }>();
  readonly limited: string[] = [];

  constructor(readonly rules: RateLimitRule[]) {}

  take(
    method: string,
    template: string,
    params: Record<string, string | string[] | undefined>,
  ): { headers: Record<string, string>; retryAfter?: number } | undefined {
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
      return { headers: this.headers(rule, 0, resetAfter, route), retryAfter: resetAfter };
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
