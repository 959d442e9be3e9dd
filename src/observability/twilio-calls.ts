import { type TwilioCallObserver } from '../activities/twilio/routed-request-client';
import { type FlexcordMetrics } from './metrics';
import { twilioRouteTemplate } from './routes';
import { inSpan, SpanKind } from './spans';

/**
 * Counts each Twilio call by route template and status (429s also on their own counter), and traces it as a client
 * span: the last step on the path of a message that goes to Flex.
 */
export function twilioCallObserver(metrics: FlexcordMetrics): TwilioCallObserver {
  return async (call, run) => {
    const labels = { method: call.method, route: twilioRouteTemplate(call.uri) };
    const attributes = { 'http.request.method': call.method, 'url.template': labels.route };
    return inSpan(
      `twilio ${call.method} ${labels.route}`,
      { kind: SpanKind.CLIENT, attributes },
      async (span) => {
        let response;
        try {
          response = await run();
        } catch (err) {
          metrics.twilioRequests.inc({ ...labels, status: 'error' });
          throw err;
        }
        metrics.twilioRequests.inc({ ...labels, status: String(response.statusCode) });
        if (response.statusCode === 429) metrics.twilioRateLimited.inc(labels);
        span.setAttribute('http.response.status_code', response.statusCode);
        return response;
      },
    );
  };
}
