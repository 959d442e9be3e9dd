import { Router } from 'express';
import { type CaseOperations } from '../../cases/report-client';
import { type BlockOperations } from '../../moderation';
import { type ApiToken } from './bearer-auth';
import { blockApiRouter } from './block-api-router';
import { caseApiRouter, type PrivacyOperations } from './case-api-router';

/** Everything under /api: cases (with privacy and the OpenAPI document) and blocks, one set of tokens. */
export function apiRouter(options: {
  tokens: readonly ApiToken[];
  operations: CaseOperations;
  privacy?: PrivacyOperations;
  blocks: BlockOperations;
}): Router {
  return Router()
    .use(caseApiRouter({ tokens: options.tokens, operations: options.operations, privacy: options.privacy }))
    .use(blockApiRouter({ tokens: options.tokens, blocks: options.blocks }));
}
