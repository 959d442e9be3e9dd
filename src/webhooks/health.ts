import { Router } from 'express';

/** Resolves when Temporal answers; rejects (or times out) when it does not. */
export type ReadinessCheck = () => Promise<void>;

export function healthRouter(readiness: ReadinessCheck, timeoutMs = 2_000): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await withTimeout(readiness(), timeoutMs);
      res.json({ status: 'ready', temporal: 'reachable' });
    } catch (err) {
      res.status(503).json({ status: 'not_ready', temporal: 'unreachable', reason: (err as Error).message });
    }
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
