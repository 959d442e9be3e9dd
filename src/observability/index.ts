import { type REST } from '@discordjs/rest';
import { type WorkflowClientInterceptor } from '@temporalio/client';
import {
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import { type ActivityInterceptorsFactory, type InjectedSinks } from '@temporalio/worker';
import { type TwilioCallObserver } from '../activities/twilio/routed-request-client';
import { activityMetrics } from './activity-metrics';
import { MetricsClientInterceptor } from './client-metrics';
import { observeDiscordRest, traceDiscordRest } from './discord-rest';
import { FlexcordMetrics } from './metrics';
import { type Tracing } from './tracing';
import { twilioCallObserver } from './twilio-calls';
import { activityTracing, workflowTracingSinks } from './workflow-tracing';

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
  /** For every Discord REST client (calls by route and status, rate limits, spans). */
  observeDiscordRest(rest: REST): void;
  /** For the worker: where the workflow bundle's tracing interceptor sends workflow spans. */
  workflowSinks: InjectedSinks<OpenTelemetrySinks>;
  /** Whether traces are recorded (OTEL_* settings, or a test's exporter). */
  tracing?: Tracing;
}

export function createObservability(
  options: { processMetrics?: boolean; tracing?: Tracing } = {},
): Observability {
  const metrics = new FlexcordMetrics({ processMetrics: options.processMetrics });
  const { tracing } = options;
  return {
    metrics,
    // Tracing outermost, so a failed call is both counted and on the span.
    clientInterceptors: [
      ...(tracing ? [new OpenTelemetryWorkflowClientInterceptor()] : []),
      new MetricsClientInterceptor(metrics),
    ],
    activityInterceptors: [...(tracing ? [activityTracing] : []), activityMetrics(metrics)],
    twilioCalls: twilioCallObserver(metrics),
    observeDiscordRest: (rest) => {
      observeDiscordRest(rest, metrics);
      if (tracing) traceDiscordRest(rest);
    },
    workflowSinks: workflowTracingSinks(tracing),
    tracing,
  };
}
