import fs from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { type TemporalCli } from './cli-provision';
import { ALL_SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { DISCORD_SEND_QUEUE_PARTITIONS } from '../shared/task-queue';

export interface DevServer {
  address: string;
  uiUrl: string;
  namespace: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cli: TemporalCli;
  /** SQLite file the dev server persists to, so conversations survive a restart; undefined keeps it in memory. */
  dbFile?: string;
  port?: number;
  uiPort?: number;
  namespace: string;
  /** The codec endpoint the Web UI decodes payloads through (`temporal server start-dev --ui-codec-endpoint`). */
  uiCodecEndpoint?: string;
}

/**
 * Starts `temporal server start-dev` with flexcord's search attributes registered. Uses the SDK's managed
 * ephemeral-server runner, which waits until the server answers and kills it on `stop()`.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  if (options.dbFile) fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const executable =
    options.cli.kind === 'binary'
      ? { type: 'existing-path' as const, path: options.cli.path }
      : { type: 'cached-download' as const };
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable,
      namespace: options.namespace,
      dbFilename: options.dbFile,
      port: options.port || undefined,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort || undefined,
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'json', level: 'error' },
      // One partition per task queue, so the Discord send queue's rate limit is not divided (see task-queue.ts);
      // a development server needs no more.
      extraArgs: [
        '--dynamic-config-value',
        `matching.numTaskqueueReadPartitions=${DISCORD_SEND_QUEUE_PARTITIONS}`,
        '--dynamic-config-value',
        `matching.numTaskqueueWritePartitions=${DISCORD_SEND_QUEUE_PARTITIONS}`,
      ],
      ...(options.uiCodecEndpoint ? { extraArgs: ['--ui-codec-endpoint', options.uiCodecEndpoint] } : {}),
    },
  });
  const address = env.address;
  const uiPort = options.uiPort || Number(address.split(':').pop()) + 1000;
  return {
    address,
    uiUrl: `http://localhost:${uiPort}`,
    namespace: options.namespace,
    stop: () => env.teardown(),
  };
}
