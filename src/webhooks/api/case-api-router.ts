import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { inScope } from '../../cases/guild-scope';
import { CaseOperationError, type CaseOperations, type StaffContext } from '../../cases/report-client';
import { type ApiToken, bearerAuth, guildScopeOf } from './bearer-auth';
import { caseApiDocument } from './openapi';
import { type ForgetReport } from '../../privacy/forget-user';
import { type UserExport } from '../../privacy/user-data';
import {
  assignBody,
  caseNumberParams,
  closeBody,
  idempotencyKey,
  linkBody,
  privacyUserParams,
  listQuery,
  noteBody,
  triageBody,
} from './schemas';

export interface CaseApiOptions {
  /** The accepted bearer tokens, each limited to its servers; none: the API answers 503. */
  tokens: readonly ApiToken[];
  operations: CaseOperations;
  /** A user's export and erasure (`/privacy/users/...`); unset: those routes answer 503. */
  privacy?: PrivacyOperations;
}

/** What the privacy routes call: `flexcord privacy export|forget` over HTTP. */
export interface PrivacyOperations {
  export(discordUserId: string): Promise<UserExport>;
  forget(discordUserId: string): Promise<ForgetReport>;
}

const STATUS_OF_ERROR = { not_found: 404, conflict: 409, invalid: 400 } as const;

/**
 * The staff case API, mounted at /api: list and read cases, triage, close, assign, note and link them. Changes go through
 * the case operations (and so through the report workflows that notify reporters). Every route is described in
 * openapi.ts (GET /api/openapi.json), generated from the same schemas that validate the requests here.
 */
export function caseApiRouter(options: CaseApiOptions): Router {
  const ops = options.operations;
  const router = express.Router();
  // The document describes the API, not any case: it is readable without a token, so clients can be generated.
  router.get('/openapi.json', (_req, res) => {
    res.json(caseApiDocument());
  });
  router.use(bearerAuth(options.tokens));
  router.use(express.json({ limit: '32kb' }));

  router.get('/cases', async (req, res) => {
    const q = listQuery.parse(req.query);
    const scope = guildScopeOf(res);
    if (q.guild !== undefined && !inScope(scope, q.guild)) {
      res.status(403).json({ error: 'forbidden_guild', message: 'this token may not read that server' });
      return;
    }
    const cases = await ops.list(
      { status: q.status, type: q.type, guildId: q.guild, reporterId: q.reporter, limit: q.limit },
      scope,
    );
    res.json({ cases });
  });

  router.get('/cases/:number', async (req, res) => {
    const { number } = caseNumberParams.parse(req.params);
    res.json({ case: await ops.show(number, guildScopeOf(res)) });
  });

  router.post('/cases/:number/close', async (req, res) => {
    const { number } = caseNumberParams.parse(req.params);
    const body = closeBody.parse(req.body);
    res.json(
      await ops.close(
        number,
        { reason: body.reason, resolution: body.resolution },
        staff(req, res, body.actor),
      ),
    );
  });

  router.post('/cases/:number/triage', async (req, res) => {
    const { number } = caseNumberParams.parse(req.params);
    // An empty body is a plain triage; express.json leaves req.body undefined when nothing was sent.
    const body = triageBody.parse(req.body ?? {});
    res.json(
      await ops.triage(
        number,
        { ...(body.note ? { note: body.note } : {}), ...(body.priority ? { priority: body.priority } : {}) },
        staff(req, res, body.actor),
      ),
    );
  });

  router.post('/cases/:number/assign', async (req, res) => {
    const { number } = caseNumberParams.parse(req.params);
    const body = assignBody.parse(req.body);
    res.json(await ops.assign(number, { agent: body.agent }, staff(req, res, body.actor)));
  });

  router.post('/cases/:number/note', async (req, res) => {
    const { number } = caseNumberParams.parse(req.params);
    const body = noteBody.parse(req.body);
    res.json(await ops.note(number, { note: body.note }, staff(req, res, body.actor)));
  });

  router.post('/cases/:number/link', async (req, res) => {
    const { number } = caseNumberParams.parse(req.params);
    const body = linkBody.parse(req.body);
    res.json(
      await ops.linkDuplicate(
        number,
        { originalCaseNumber: body.duplicateOf, ...(body.note ? { note: body.note } : {}) },
        staff(req, res, body.actor),
      ),
    );
  });

  /**
   * A user is one person across every server: only a token for every server may export or erase them, never a
   * token that sees one server's cases.
   */
  const privacyAllowed = (res: Response): PrivacyOperations | undefined => {
    if (guildScopeOf(res).kind !== 'all') {
      res
        .status(403)
        .json({ error: 'forbidden_scope', message: 'only a token for every server (*) may do this' });
      return undefined;
    }
    if (!options.privacy) {
      res
        .status(503)
        .json({ error: 'privacy_disabled', message: 'privacy operations are not available here' });
      return undefined;
    }
    return options.privacy;
  };

  router.get('/privacy/users/:user', async (req, res) => {
    const { user } = privacyUserParams.parse(req.params);
    const privacy = privacyAllowed(res);
    if (privacy) res.json(await privacy.export(user));
  });

  router.post('/privacy/users/:user/forget', async (req, res) => {
    const { user } = privacyUserParams.parse(req.params);
    const privacy = privacyAllowed(res);
    if (privacy) res.json(await privacy.forget(user));
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof z.ZodError) {
      res.status(400).json({
        error: 'invalid_request',
        issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    } else if (err instanceof CaseOperationError) {
      res.status(STATUS_OF_ERROR[err.code]).json({ error: err.code, message: err.message });
    } else {
      next(err);
    }
  });
  return router;
}

function staff(req: Request, res: Response, actor: string | undefined): StaffContext {
  const key = idempotencyKey.parse(req.get('idempotency-key'));
  return {
    actor: `api:${actor ?? 'token'}`,
    scope: guildScopeOf(res),
    ...(key ? { eventId: `api:${key}` } : {}),
  };
}
