import { type Router } from 'express';
import { openCaseStore } from '../../cases';
import { createCaseOperations } from '../../cases/report-client';
import { type RoleContext } from '../../app/role';
import { ALL_GUILDS, onlyGuilds } from '../../cases/guild-scope';
import { type ApiToken } from './bearer-auth';
import { supportStats } from '../../analytics/support-stats';
import { apiRouter } from './api-router';
import { openModeration } from '../../moderation';
import { forgetUser } from '../../privacy/forget-user';
import { buildTwilioCustomerData } from '../../privacy/twilio-customer-data';
import { exportUser } from '../../privacy/user-data';

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
  const twilio = buildTwilioCustomerData(ctx.config);
  const moderation = await openModeration(cases.database, ctx.config, ctx.logger).catch(
    async (err: unknown) => {
      await cases.close();
      throw err;
    },
  );
  const privacyDeps = {
    client: ctx.client,
    store: cases.store,
    ...(twilio ? { twilio } : {}),
  };
  const privacy = {
    export: (user: string) => exportUser(privacyDeps, user),
    forget: (user: string) => forgetUser({ ...privacyDeps, namespace: ctx.target.namespace }, user),
  };
  const router = apiRouter({
    tokens,
    operations,
    privacy,
    blocks: moderation.blocks,
    stats: (query) => supportStats(cases.database.db, query),
  });
  return {
    mount: { path: '/api', router },
    close: () => cases.close(),
  };
}
