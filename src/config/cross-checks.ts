import { type z } from 'zod';
import { type Env } from './schema';

/**
 * Settings that are valid alone but not together. Each issue names the variable and says what to do, never its
 * value (values may be secrets).
 */
export function crossChecks(env: Env, ctx: z.RefinementCtx): void {
  // API_TOKEN predates server-scoped tokens. It stays the token of the one server a single-server bot serves;
  // for a bot in several servers it would silently see all of them, so that must be said explicitly.
  if (env.API_TOKEN && !env.DISCORD_GUILD_ID) {
    ctx.addIssue({
      code: 'custom',
      path: ['API_TOKEN'],
      message:
        'is the token of DISCORD_GUILD_ID, which is not set; for a bot in several servers list each token with ' +
        'its servers in API_TOKENS (<token>=<guild id>|<guild id>, or <token>=* for every server)',
    });
  }
}
