import { type Router } from 'express';
import { openCaseStore } from '../../cases';
import { createCaseOperations } from '../../cases/report-client';
import { type RoleContext } from '../../app/role';
import { ALL_GUILDS, onlyGuilds } from '../../cases/guild-scope';
import { type ApiToken } from './bearer-auth';
import { supportStats } from '../../analytics/support-stats';
import { caseApiRouter } from './case-api-router';

/** The case API at /api, reading the case store from config; `close` releases the store after the server stops. */
export async function mountCaseApi(
  ctx: RoleContext,
): Promise<{ mount: { path: string; router: Router }; close(): Promise<void> }> {
  const cases = await openCaseStore(ctx.config);
  const tokens = ctx.config.cases.apiTokens.map((t): ApiToken => ({
    token: t.token,
    scope: t.guilds === '*' ? ALL_GUILDS : onlyGuilds(...t.guilds),
  }));
  if (tokens.length === 0) {
    ctx.logger.warn('neither API_TOKENS nor API_TOKEN is set: the case API at /api answers 503 until one is');
  }
  const operations = createCaseOperations({ client: ctx.client, store: cases.store });
  return {
    mount: {
      path: '/api',
      router: caseApiRouter({
        tokens,
        operations,
        stats: (query) => supportStats(cases.database.db, query),
      }),
    },
    close: () => cases.close(),
  };
}
