import express, { type Express, type Router } from 'express';
import { type Logger } from 'pino';
import { healthRouter, type ReadinessCheck } from './health';

export interface WebhookAppOptions {
  logger: Logger;
  readiness: ReadinessCheck;
  /** Routers mounted by later parts (Twilio webhooks, case API); each validates its own input. */
  routers?: { path: string; router: Router }[];
}

/** The public HTTP surface: health probes, Twilio webhooks and the staff case API. */
export function createWebhookApp(options: WebhookAppOptions): Express {
  const app = express();
  // Behind a load balancer or tunnel the public URL differs from ours; signature checks use the configured URL.
  app.set('trust proxy', true);
  app.disable('x-powered-by');
  app.use(healthRouter(options.readiness));
  for (const { path, router } of options.routers ?? []) app.use(path, router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use(
    (
      err: Error & { status?: number; type?: string },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      const status = err.status ?? 500;
      if (status >= 500) options.logger.error({ err }, 'unhandled error in HTTP handler');
      res.status(status).json({ error: err.type ?? (status >= 500 ? 'internal_error' : 'bad_request') });
    },
  );
  return app;
}
