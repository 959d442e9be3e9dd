import { type TwilioCallObserver } from '../activities/twilio/routed-request-client';
import { type FlexcordMetrics } from './metrics';
import { twilioRouteTemplate } from './routes';

/** Counts each Twilio call by route template and status; 429s also on their own counter. */
export function twilioCallObserver(metrics: FlexcordMetrics): TwilioCallObserver {
  return async (call, run) => {
    const labels = { method: call.method, route: twilioRouteTemplate(call.uri) };
    let response;
    try {
      response = await run();
    } catch (err) {
      metrics.twilioRequests.inc({ ...labels, status: 'error' });
      throw err;
    }
    metrics.twilioRequests.inc({ ...labels, status: String(response.statusCode) });
    if (response.statusCode === 429) metrics.twilioRateLimited.inc(labels);
    return response;
  };
}
