import { type RequestHandler } from 'express';
import { type FlexcordMetrics } from './metrics';

/** What an answer's status says when the handler did not name the outcome itself (rejections, mostly). */
function outcomeFromStatus(status: number): string {
  if (status === 400) return 'malformed';
  if (status === 403) return 'bad_signature';
  if (status === 413) return 'too_large';
  if (status === 503) return 'temporal_unavailable';
  if (status < 300) return 'accepted';
  return `http_${status}`;
}

/**
 * Counts each Twilio webhook by kind (conversations, taskrouter) and outcome once it is answered. Handlers name
 * the outcome in `res.locals.webhookOutcome` (signalled, duplicate, not_running, ignored); rejections are read
 * from the status. Mount before the Twilio routers, at the same path.
 */
export function webhookMetrics(metrics: FlexcordMetrics): RequestHandler {
  return (req, res, next) => {
    res.once('finish', () => {
      const kind = req.path.replace(/^\/+|\/+$/g, '');
      const outcome =
        res.statusCode >= 300 || typeof res.locals.webhookOutcome !== 'string'
          ? outcomeFromStatus(res.statusCode)
          : res.locals.webhookOutcome;
      metrics.webhooksReceived.inc({
        kind: kind === 'conversations' || kind === 'taskrouter' ? kind : 'other',
        outcome,
      });
    });
    next();
  };
}
