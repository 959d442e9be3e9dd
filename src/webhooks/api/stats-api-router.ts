import express, { type Router } from 'express';
import { z } from 'zod';
import { parsePeriod, PeriodError } from '../../analytics/period';
import { type StatsQuery, type SupportStats } from '../../analytics/support-stats';
import { inScope } from '../../cases/guild-scope';
import { type ApiToken, bearerAuth, guildScopeOf } from './bearer-auth';

export interface StatsApiOptions {
  tokens: readonly ApiToken[];
  stats: (query: StatsQuery) => Promise<SupportStats>;
}

const text = (max: number) => z.string().trim().min(1).max(max);
/** The period as `flexcord stats` takes it: `since` a duration back from `until` (7d, 24h) or a date. */
const statsQuery = z.object({
  guild: text(32).optional(),
  since: text(40).optional(),
  until: text(40).optional(),
});

/**
 * `GET /stats` under /api: support analytics for the servers the bearer token may see (the case API's tokens and
 * scopes), the same figures as `flexcord stats --json`.
 */
export function statsApiRouter(options: StatsApiOptions): Router {
  const router = express.Router();
  router.get('/stats', bearerAuth(options.tokens), async (req, res) => {
    const q = statsQuery.safeParse(req.query);
    if (!q.success) {
      res.status(400).json({
        error: 'invalid_request',
        issues: q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
      return;
    }
    const scope = guildScopeOf(res);
    if (q.data.guild !== undefined && !inScope(scope, q.data.guild)) {
      res.status(403).json({ error: 'forbidden_guild', message: 'this token may not read that server' });
      return;
    }
    let period;
    try {
      period = parsePeriod({ since: q.data.since, until: q.data.until });
    } catch (err) {
      if (!(err instanceof PeriodError)) throw err;
      res.status(400).json({ error: 'invalid_request', issues: [{ path: 'since', message: err.message }] });
      return;
    }
    res.json(await options.stats({ ...period, guildId: q.data.guild, scope }));
  });
  return router;
}
