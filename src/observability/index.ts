import { type REST } from '@discordjs/rest';
import { type WorkflowClientInterceptor } from '@temporalio/client';
import { type ActivityInterceptorsFactory } from '@temporalio/worker';
import { type TwilioCallObserver } from '../activities/twilio/routed-request-client';
import { activityMetrics } from './activity-metrics';
import { MetricsClientInterceptor } from './client-metrics';
import { observeDiscordRest } from './discord-rest';
import { FlexcordMetrics } from './metrics';
import { twilioCallObserver } from './twilio-calls';

export { FlexcordMetrics } from './metrics';

/**
 * Everything a process needs to be observed: its metrics registry and the hooks that feed it, built once at start
 * and handed to the roles. The hooks sit at the edges flexcord already has (the Temporal client, the worker's
 * activity calls, the Discord and Twilio HTTP clients, the webhook router), so business code does not count.
 */
export interface Observability {
  metrics: FlexcordMetrics;
  /** For every Temporal client the process builds (signals and updates sent). */
  clientInterceptors: WorkflowClientInterceptor[];
  /** For the worker (relays, knowledge-base answers). */
  activityInterceptors: ActivityInterceptorsFactory[];
  /** For every Twilio client (calls by route and status). */
  twilioCalls: TwilioCallObserver;
  /** For every Discord REST client (calls by route and status, rate limits). */
  observeDiscordRest(rest: REST): void;
}

export function createObservability(options: { processMetrics?: boolean } = {}): Observability {
  const metrics = new FlexcordMetrics({ processMetrics: options.processMetrics });
  return {
    metrics,
    clientInterceptors: [new MetricsClientInterceptor(metrics)],
    activityInterceptors: [activityMetrics(metrics)],
    twilioCalls: twilioCallObserver(metrics),
    observeDiscordRest: (rest) => observeDiscordRest(rest, metrics),
  };
}
