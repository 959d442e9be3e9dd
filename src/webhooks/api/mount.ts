import { type Router } from 'express';
import { openCaseStore } from '../../cases';
import { createCaseOperations } from '../../cases/report-client';
import { type RoleContext } from '../../app/role';
import { caseApiRouter } from './case-api-router';

/** The case API at /api, reading the case store from config; `close` releases the store after the server stops. */
export async function mountCaseApi(
  ctx: RoleContext,
): Promise<{ mount: { path: string; router: Router }; close(): Promise<void> }> {
  const cases = await openCaseStore(ctx.config);
  const apiToken = ctx.config.cases.apiToken;
  if (!apiToken) ctx.logger.warn('API_TOKEN is not set: the case API at /api answers 503 until it is');
  const operations = createCaseOperations({ client: ctx.client, store: cases.store });
  return {
    mount: { path: '/api', router: caseApiRouter({ apiToken, operations }) },
    close: () => cases.close(),
  };
}
