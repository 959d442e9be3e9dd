import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import { type ActivityInterceptorsFactory, type InjectedSinks } from '@temporalio/worker';
import { NO_TRACING, type Tracing } from './tracing';

/**
 * Temporal's OpenTelemetry interceptor for workflow code, in the workflow bundle of a worker whose process traces
 * (`OTEL_*` settings). It is left out otherwise, because it costs memory and CPU that grow with the square of the
 * cached workflows: in a reusable V8 context each workflow evaluates the interceptor's modules afresh, so each gets
 * its own AsyncLocalStorage, enabled for as long as the workflow is cached, and Node (20) tags every promise the
 * workflow thread creates with one property per enabled AsyncLocalStorage (measured: 2.6 MiB of worker memory per
 * cached conversation with 600 cached, 0.47 MiB without it; `npm run bench -- workflow-cache`). The interceptor
 * only adds spans and trace headers, never commands, so the same histories replay with and without it
 * (test/replay.test.ts replays every saved history both ways).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

/** The workflow interceptor modules of a bundle: the tracing interceptor only for a worker that traces. */
export function workflowInterceptorModules(traced: boolean): string[] {
  return traced ? WORKFLOW_INTERCEPTOR_MODULES : [];
}

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
