import { Router } from 'express';
import { type CaseOperations } from '../../cases/report-client';
import { type BlockOperations } from '../../moderation';
import { type ApiToken } from './bearer-auth';
import { blockApiRouter } from './block-api-router';
import { caseApiRouter, type PrivacyOperations } from './case-api-router';
import { statsApiRouter } from './stats-api-router';
import { type StatsQuery, type SupportStats } from '../../analytics/support-stats';

/** Everything under /api: cases (with privacy and the OpenAPI document), support stats and blocks, one set of tokens. */
export function apiRouter(options: {
  tokens: readonly ApiToken[];
  operations: CaseOperations;
  privacy?: PrivacyOperations;
  blocks: BlockOperations;
  /** Support analytics for `GET /stats`; without it the route is not served. */
  stats?: (query: StatsQuery) => Promise<SupportStats>;
}): Router {
  return Router()
    .use(caseApiRouter({ tokens: options.tokens, operations: options.operations, privacy: options.privacy }))
    .use(options.stats ? statsApiRouter({ tokens: options.tokens, stats: options.stats }) : Router())
    .use(blockApiRouter({ tokens: options.tokens, blocks: options.blocks }));
}
