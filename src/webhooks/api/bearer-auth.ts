import { createHash, timingSafeEqual } from 'node:crypto';
import { type RequestHandler, type Response } from 'express';
import { type GuildScope } from '../../cases/guild-scope';

/** An API token and the Discord servers whose cases it may see and change. */
export interface ApiToken {
  token: string;
  scope: GuildScope;
}

/** Compares through SHA-256 digests so neither the token's content nor its length leaks through timing. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The servers the request's token may see, set by `bearerAuth`. */
export function guildScopeOf(res: Response): GuildScope {
  const scope = (res.locals as { guildScope?: GuildScope }).guildScope;
  if (!scope) throw new Error('guildScopeOf called on a route without bearerAuth');
  return scope;
}

/**
 * `Authorization: Bearer <token>` or 401; the matching token's server scope goes to `res.locals`. Without any
 * configured token the API is off (503), never open: forgetting the variable must not expose every case.
 */
export function bearerAuth(tokens: readonly ApiToken[]): RequestHandler {
  return (req, res, next) => {
    if (tokens.length === 0) {
      res.status(503).json({
        error: 'api_disabled',
        message:
          'The case API is disabled: set API_TOKENS (or API_TOKEN) on the webhook server to enable it.',
      });
      return;
    }
    const match = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '');
    const given = match?.[1]!.trim();
    // Every token is compared, so the time taken does not say which one (or whether any) came close.
    let found: ApiToken | undefined;
    for (const t of tokens) if (given !== undefined && tokensMatch(given, t.token)) found ??= t;
    if (!found) {
      res.set('WWW-Authenticate', 'Bearer realm="flexcord"').status(401).json({ error: 'unauthorized' });
      return;
    }
    (res.locals as { guildScope?: GuildScope }).guildScope = found.scope;
    next();
  };
}
