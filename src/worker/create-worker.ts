import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type ActivityInterceptorsFactory,
  type InjectedSinks,
  type NativeConnection,
  Worker,
  bundleWorkflowCode,
} from '@temporalio/worker';
import { type DataConverter } from '@temporalio/common';
import { type Sinks } from '@temporalio/workflow';
import { type Logger } from 'pino';
import { workflowInterceptorModules, workflowTracingSinks } from '../observability/workflow-tracing';
import { quietBundlerLogger } from '../logging/temporal-logger';
import { safeActivityFailures } from './safe-activity-failures';
import { cachedWorkflowBundle } from './workflow-bundle-cache';
import { projectRoot } from '../app/paths';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** Prebuilt bundle from `npm run build`; without it the worker bundles src/workflows at start (slower). */
  workflowBundlePath?: string;
  /** Without a prebuilt bundle: where bundles of the sources are kept and reused while the sources are unchanged. */
  bundleCacheDir?: string;
  identity?: string;
  logger?: Logger;
  /** Around every activity call (metrics, traces). */
  activityInterceptors?: ActivityInterceptorsFactory[];
  /** Sinks workflow code calls; the bundle's tracing interceptor needs its `exporter` (default: spans dropped). */
  sinks?: InjectedSinks<Sinks>;
  /** The payload codec (encryption), the same as every client's: from the target (`TemporalTarget.dataConverter`). */
  dataConverter?: DataConverter;
  /**
   * Whether this process traces: only then does the workflow bundle carry the tracing interceptor (see
   * `WORKFLOW_INTERCEPTOR_MODULES` for what it costs per cached workflow), and a prebuilt bundle is the traced one.
   */
  traced?: boolean;
  /** How many workflow executions stay cached in memory (`WORKER_MAX_CACHED_WORKFLOWS`); others are replayed. */
  maxCachedWorkflows?: number;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export function defaultWorkerIdentity(): string {
  return `${process.pid}@${os.hostname()}`;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  const traced = options.traced ?? false;
  const bundlePath = options.workflowBundlePath;
  const useBundle = bundlePath !== undefined && fs.existsSync(bundlePath);
  options.logger?.info(
    {
      taskQueue: options.taskQueue,
      workflows: useBundle ? bundlePath : 'bundled at start from src/workflows',
      traced,
      maxCachedWorkflows: options.maxCachedWorkflows,
    },
    'starting worker',
  );
  // Bundling here rather than through `workflowsPath` lets us pass the bundler a quiet logger.
  const bundleSources = () =>
    bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules: workflowInterceptorModules(traced),
      ...(options.logger ? { logger: quietBundlerLogger(options.logger) } : {}),
    });
  const cacheDir = options.bundleCacheDir;
  const workflowBundle = useBundle
    ? { codePath: bundlePath }
    : cacheDir !== undefined
      ? await cachedBundle(cacheDir, traced, bundleSources, options.logger)
      : await bundleSources();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    identity: options.identity ?? defaultWorkerIdentity(),
    activities: options.activities,
    // Outermost, so metrics and the SDK's own "Activity failed" log see only safe failures.
    interceptors: { activity: [safeActivityFailures, ...(options.activityInterceptors ?? [])] },
    sinks: options.sinks ?? workflowTracingSinks(),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    workflowBundle,
  });
}

async function cachedBundle(
  dir: string,
  traced: boolean,
  build: () => Promise<{ code: string }>,
  logger: Logger | undefined,
): Promise<{ codePath: string }> {
  const { codePath, reused } = await cachedWorkflowBundle({
    dir,
    projectRoot: projectRoot(),
    traced,
    build: async () => (await build()).code,
  });
  logger?.info(
    { codePath, reused },
    reused ? 'reusing the workflow bundle of these sources' : 'workflow bundle cached',
  );
  return { codePath };
}

/** Writes a workflow bundle for production start (`npm run build` writes both: with and without tracing). */
export async function writeWorkflowBundle(
  outFile: string,
  options: { traced?: boolean } = {},
): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: workflowInterceptorModules(options.traced ?? false),
  });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
}
