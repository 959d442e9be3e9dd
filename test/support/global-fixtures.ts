import {
  Runtime,
  DefaultLogger,
  bundleWorkflowCode,
  type LogLevel,
  type LogMetadata,
  type WorkflowBundle,
} from '@temporalio/worker';
import { isExpectedActivityOnlyWarning } from '../../src/logging/temporal-logger';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { provisionTemporalCli, explainMissingCli } from '../../src/temporal/cli-provision';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../src/observability/workflow-tracing';
import { WORKFLOWS_PATH } from '../../src/worker/create-worker';
import { freePort } from './free-port';

/*
 * One real Temporal dev server for the whole mocha run, started from the CLI binary that `npm test` provisions
 * first (`flexcord temporal ensure`). Workflow code is bundled once and shared by every test worker.
 */
let env: TestWorkflowEnvironment | undefined;
const bundles = new Map<boolean, Promise<WorkflowBundle>>();
let sdkMetrics: string | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  // The runtime is installed once per process, so the SDK's Prometheus exporter is on for every test, as
  // `flexcord start` turns it on with METRICS_PORT (test/metrics.test.ts reads it).
  const port = await freePort();
  Runtime.install({
    logger: new TestLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } },
  });
  sdkMetrics = `http://127.0.0.1:${port}/metrics`;
  const cli = await provisionTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, install: false });
  if (cli.kind !== 'binary') {
    console.warn(`${explainMissingCli(cli.tried)}\nFalling back to the SDK download (needs internet).`);
  }
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable:
        cli.kind === 'binary' ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'error' },
    },
  });
}

/** The SDK's warnings, less the expected one from the Discord send queue's activity-only worker. */
class TestLogger extends DefaultLogger {
  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (isExpectedActivityOnlyWarning(message)) return;
    super.log(level, message, meta);
  }
}

export async function mochaGlobalTeardown(): Promise<void> {
  await env?.teardown();
}

/** The shared dev-server environment; tests create their own workers on `nativeConnection`. */
export function testEnv(): TestWorkflowEnvironment {
  if (!env)
    throw new Error('the Temporal test environment is not started (run through mocha with .mocharc.cjs)');
  return env;
}

/** Where the Temporal SDK's Prometheus exporter of this test process serves its metrics. */
export function sdkMetricsUrl(): string {
  if (!sdkMetrics)
    throw new Error('the Temporal runtime is not installed (run through mocha with .mocharc.cjs)');
  return sdkMetrics;
}

/**
 * The project's workflow code, bundled once per run and variant. By default without the tracing interceptor, as
 * a worker that does not trace (the default in production) bundles it; `traced: true` is the bundle of a worker
 * that traces. Not traced by default also because the interceptor's per-workflow AsyncLocalStorage makes every
 * promise cost more with each cached workflow, and the whole run shares one workflow thread's cache.
 */
export function workflowBundle(options: { traced?: boolean } = {}): Promise<WorkflowBundle> {
  const traced = options.traced ?? false;
  let bundle = bundles.get(traced);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules: traced ? WORKFLOW_INTERCEPTOR_MODULES : [],
      logger: new DefaultLogger('WARN'),
    });
    bundles.set(traced, bundle);
  }
  return bundle;
}
