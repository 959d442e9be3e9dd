import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { inScope, onlyGuilds } from '../../cases/guild-scope';
import { BlockOperationError, type BlockOperations, expiryAfterDays } from '../../moderation';
import { type ApiToken, bearerAuth, guildScopeOf } from './bearer-auth';

export interface BlockApiOptions {
  tokens: readonly ApiToken[];
  blocks: BlockOperations;
}

const snowflake = z.string().regex(/^\d{5,25}$/, 'a Discord id (digits)');

const blockBody = z
  .object({
    guild: snowflake,
    user: snowflake,
    reason: z.string().regex(/\S/, 'a reason is required').trim().max(500),
    /** Lift the block after this many days; or give `expiresAt`; neither: until unblocked. */
    days: z.coerce.number().int().min(1).max(3650).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    actor: z.string().regex(/\S/, 'must not be blank').trim().max(100).optional(),
  })
  .refine((b) => !(b.days && b.expiresAt), 'give days or expiresAt, not both')
  // The refinement, in the OpenAPI document's words.
  .meta({ override: { not: { required: ['days', 'expiresAt'] } } });

const blockParams = z.object({ guild: snowflake, user: snowflake });
const listQuery = z.object({ guild: snowflake.optional() });

/** What the block routes accept, for the API's OpenAPI document (openapi.ts). */
export const blockSchemas = { body: blockBody, params: blockParams, query: listQuery };

const STATUS_OF_ERROR = { not_found: 404, invalid: 400 } as const;

/**
 * Blocked members under /api, with the case API's bearer tokens and server scopes: `GET /blocks`, `POST /blocks`
 * and `DELETE /blocks/:guild/:user`. A blocked member's /helpme, messages and reports are refused by the bot.
 */
export function blockApiRouter(options: BlockApiOptions): Router {
  const router = express.Router();
  router.use('/blocks', bearerAuth(options.tokens), express.json({ limit: '8kb' }));

  router.get('/blocks', async (req, res) => {
    const q = listQuery.parse(req.query);
    const scope = guildScopeOf(res);
    if (q.guild !== undefined && !inScope(scope, q.guild)) {
      res.status(403).json({ error: 'forbidden_guild', message: 'this token may not read that server' });
      return;
    }
    res.json({ blocks: await options.blocks.list(q.guild ? onlyGuilds(q.guild) : scope) });
  });

  router.post('/blocks', async (req, res) => {
    const body = blockBody.parse(req.body);
    const block = await options.blocks.block(
      {
        guildId: body.guild,
        userId: body.user,
        reason: body.reason,
        expiresAt: body.expiresAt ?? expiryAfterDays(body.days),
      },
      { actor: `api:${body.actor ?? 'token'}`, scope: guildScopeOf(res) },
    );
    res.status(201).json({ block });
  });

  router.delete('/blocks/:guild/:user', async (req, res) => {
    const params = blockParams.parse(req.params);
    res.json(
      await options.blocks.unblock(
        { guildId: params.guild, userId: params.user },
        { actor: 'api:token', scope: guildScopeOf(res) },
      ),
    );
  });

  router.use('/blocks', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof z.ZodError) {
      res.status(400).json({
        error: 'invalid_request',
        issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    } else if (err instanceof BlockOperationError) {
      res.status(STATUS_OF_ERROR[err.code]).json({ error: err.code, message: err.message });
    } else {
      next(err);
    }
  });
  return router;
}
