import { createHash, timingSafeEqual } from 'node:crypto';
import { type RequestHandler } from 'express';

/** Compares through SHA-256 digests so neither the token's content nor its length leaks through timing. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * `Authorization: Bearer <API_TOKEN>` or 401. Without a configured token the API is off (503), never open:
 * forgetting the variable must not expose every case.
 */
export function bearerAuth(apiToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!apiToken) {
      res.status(503).json({
        error: 'api_disabled',
        message: 'The case API is disabled: set API_TOKEN on the webhook server to enable it.',
      });
      return;
    }
    const match = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '');
    if (!match || !tokensMatch(match[1]!.trim(), apiToken)) {
      res.set('WWW-Authenticate', 'Bearer realm="flexcord"').status(401).json({ error: 'unauthorized' });
      return;
    }
    next();
  };
}
