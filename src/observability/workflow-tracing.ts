import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import { type ActivityInterceptorsFactory, type InjectedSinks } from '@temporalio/worker';
import { NO_TRACING, type Tracing } from './tracing';

/**
 * Temporal's OpenTelemetry interceptor for workflow code. It is part of every workflow bundle (bundled at start, by
 * `npm run build` and by the tests), so traces can be turned on without a different bundle; with tracing off, its
 * spans go to a no-op processor.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/** The sink through which workflow spans leave the workflow sandbox; every worker running the bundle registers it. */
export function workflowTracingSinks(
  tracing: Pick<Tracing, 'spanProcessor' | 'resource'> = NO_TRACING,
): InjectedSinks<OpenTelemetrySinks> {
  return { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
}

/** Activity spans, children of the workflow's "StartActivity" span, with trace ids on the activity's log lines. */
export const activityTracing: ActivityInterceptorsFactory = (ctx) => ({
  inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
  outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
});
