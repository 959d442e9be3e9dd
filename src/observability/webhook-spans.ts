import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { type RequestHandler } from 'express';
import { flexcordTracer, SpanKind } from './spans';

/**
 * A server span for each Twilio webhook, active while the request is handled, so the signal it sends to the
 * conversation (and everything the workflow does about it) joins the webhook's trace. The request and response
 * emitters are bound to the span's context: the body parser's callbacks run in it too.
 */
export function webhookSpans(): RequestHandler {
  return (req, res, next) => {
    const route = `/twilio${req.path}`;
    const span = flexcordTracer().startSpan(`webhook POST ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method, 'http.route': route },
    });
    const active = trace.setSpan(context.active(), span);
    context.bind(active, req);
    context.bind(active, res);
    res.once('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (typeof res.locals.webhookOutcome === 'string')
        span.setAttribute('flexcord.webhook.outcome', res.locals.webhookOutcome);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(active, next);
  };
}
