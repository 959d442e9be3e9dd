import { context, propagation, trace } from '@opentelemetry/api';
import { baggageUtils } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResourcesSync, envDetectorSync, Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { type Config } from '../config';

/** This process's tracing, once started: the processor workflow spans are exported through, and a way to stop. */
export interface Tracing {
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Exports what is buffered, then takes the global tracer, context manager and propagator down again. */
  shutdown(): Promise<void>;
}

/** A span processor for a tracing setup that is off: workflow spans still need somewhere to go. */
export const NO_TRACING: Pick<Tracing, 'spanProcessor' | 'resource'> = {
  spanProcessor: new NoopSpanProcessor(),
  resource: Resource.empty(),
};

function processorFor(config: Config['tracing']): SpanProcessor | undefined {
  if (config.exporter === 'console') return new SimpleSpanProcessor(new ConsoleSpanExporter());
  if (config.exporter === 'otlp') {
    return new BatchSpanProcessor(
      new OTLPTraceExporter({
        ...(config.url ? { url: config.url } : {}),
        ...(config.headers ? { headers: baggageUtils.parseKeyPairsIntoRecord(config.headers) } : {}),
      }),
    );
  }
  return undefined;
}

/**
 * Starts OpenTelemetry tracing for this process when the configuration asks for it (OTLP over HTTP/protobuf, or the
 * console), or with the given processor (tests use an in-memory exporter). Registers the global tracer provider,
 * an AsyncLocalStorage context manager and the W3C trace-context propagator, which Temporal's interceptors use to
 * carry a trace through signals, workflows and activities. Returns undefined when tracing is off.
 */
export function startTracing(
  config: Config['tracing'],
  options: { spanProcessor?: SpanProcessor } = {},
): Tracing | undefined {
  const spanProcessor = options.spanProcessor ?? processorFor(config);
  if (!spanProcessor) return undefined;
  const resource = detectResourcesSync({ detectors: [envDetectorSync] }).merge(
    new Resource({ [ATTR_SERVICE_NAME]: config.serviceName }),
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return {
    spanProcessor,
    resource,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
