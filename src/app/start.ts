import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { type Logger } from 'pino';
import { type Config, MissingSettingsError } from '../config';
import { createObservability } from '../observability';
import { startMetricsServer } from '../observability/metrics-server';
import { startTracing } from '../observability/tracing';
import { installTemporalRuntime } from '../observability/temporal-runtime';
import { explainMissingCli, provisionTemporalCli } from '../temporal/cli-provision';
import { clusterTarget, connectClient, localTarget, type TemporalTarget } from '../temporal/connect';
import { type DevServer, startDevServer } from '../temporal/dev-server';
import { uiCodecEndpoint } from '../webhooks/codec/mount';
import { assertPortsFree, type WantedPort } from './ports';
import { type RoleContext, type RoleName, type RoleStarter, type RunningRole } from './role';
import { startBotRole } from './roles/bot-role';
import { startWebhooksRole } from './roles/webhooks-role';
import { startWorkerRole } from './roles/worker-role';
import { closeTemporalConnection } from '../temporal/close-connection';

const STARTERS: Record<RoleName, RoleStarter> = {
  worker: startWorkerRole,
  webhooks: startWebhooksRole,
  bot: startBotRole,
};

export interface RunningApp {
  roles: RunningRole[];
  devServer?: DevServer;
  /** Resolves once every role has stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** More routes for the webhook server (the sandbox's playground). */
  httpRouters?: RoleContext['httpRouters'];
  /** Runs once Temporal answers, before any role starts: a check that may refuse to go on by throwing. */
  beforeRoles?: (client: Client) => Promise<void>;
}

/**
 * Starts the requested roles. Without TEMPORAL_ADDRESS an embedded dev server (persisted under the data dir, with
 * the Web UI) is started first; with it, we connect to that cluster.
 */
export async function startApp(
  configured: Config,
  roles: RoleName[],
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningApp> {
  const config = withCodecToken(configured, roles);
  const metricsPort = config.metrics.port;
  await assertPortsFree(portsWanted(config, roles));
  // The SDK's metrics come from the Core runtime, which only the worker (and the dev server) uses.
  const { sdkMetricsUrl } = await installTemporalRuntime({
    logger,
    sdkMetrics: metricsPort !== undefined && roles.includes('worker'),
  });
  const tracing = startTracing(config.tracing);
  if (tracing) logger.info({ exporter: config.tracing.exporter, url: config.tracing.url }, 'tracing on');
  const observability = createObservability({ processMetrics: metricsPort !== undefined, tracing });
  let devServer: DevServer | undefined;
  let target: TemporalTarget;
  if (config.temporal.address) {
    target = clusterTarget(config);
    logger.info({ address: target.address, namespace: target.namespace }, 'connecting to Temporal cluster');
  } else {
    devServer = await startEmbeddedServer(config, logger, roles);
    target = localTarget(devServer.address, devServer.namespace, config);
  }

  if (target.dataConverter) {
    logger.info({ keyId: config.payloads.keys[0]!.id }, 'payloads to Temporal are encrypted (AES-256-GCM)');
  } else {
    logger.warn('PAYLOAD_ENCRYPTION_KEYS is not set: conversations are stored in Temporal as plain text');
  }
  const { client, connection } = await connectClient(target, observability.clientInterceptors);
  const ctx: RoleContext = {
    config,
    logger,
    target,
    client,
    sharedProcess: roles.length > 1,
    httpRouters: options.httpRouters,
    observability,
  };
  const running: RunningRole[] = [];
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  try {
    await options.beforeRoles?.(client);
    for (const name of roles) {
      const started = await startRole(name, ctx);
      if (started) running.push(started);
    }
    if (metricsPort !== undefined) {
      metricsServer = await startMetricsServer({
        port: metricsPort,
        registry: observability.metrics.registry,
        sdkMetricsUrl,
      });
      logger.info({ port: metricsServer.port }, `metrics at http://localhost:${metricsServer.port}/metrics`);
    }
  } catch (err) {
    await stopAll(running, logger);
    await closeTemporalConnection(connection);
    await devServer?.stop();
    throw err;
  }
  if (running.length === 0) logger.warn('no role could start; see the messages above');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await stopAll(running, logger);
      await metricsServer?.close();
      await closeTemporalConnection(connection);
      await devServer?.stop();
      await tracing?.shutdown();
    })());
  const done = Promise.all(running.map((r) => r.done)).then(() => undefined);
  return { roles: running, devServer, done, stop };
}

/** The ports this process will listen on, so a second instance stops before it starts anything. */
function portsWanted(config: Config, roles: RoleName[]): WantedPort[] {
  const wanted: WantedPort[] = [];
  if (!config.temporal.address) {
    wanted.push(
      {
        port: config.temporal.devPort,
        host: '127.0.0.1',
        setting: 'TEMPORAL_DEV_PORT',
        what: 'embedded Temporal server',
      },
      {
        port: config.temporal.devUiPort,
        host: '127.0.0.1',
        setting: 'TEMPORAL_DEV_UI_PORT',
        what: 'Temporal Web UI',
      },
    );
  }
  if (roles.includes('webhooks'))
    wanted.push({
      port: config.http.port,
      host: config.http.host,
      setting: 'HTTP_PORT',
      what: 'webhook server',
    });
  if (config.metrics.port !== undefined)
    wanted.push({
      port: config.metrics.port,
      host: '0.0.0.0',
      setting: 'METRICS_PORT',
      what: 'metrics server',
    });
  return wanted;
}

async function startRole(name: RoleName, ctx: RoleContext): Promise<RunningRole | undefined> {
  const logger = ctx.logger.child({ role: name });
  try {
    return await STARTERS[name]({ ...ctx, logger });
  } catch (err) {
    // In development one process runs every role: a role without its credentials steps aside with a clear message.
    if (err instanceof MissingSettingsError && ctx.sharedProcess) {
      logger.warn(`${err.message} Skipping the ${name} role for now.`);
      return undefined;
    }
    throw err;
  }
}

async function stopAll(roles: RunningRole[], logger: Logger): Promise<void> {
  // Stop the edges first (no new inbound work), the worker last so it can drain what is in flight.
  const order: RoleName[] = ['webhooks', 'bot', 'worker'];
  for (const name of order) {
    for (const role of roles.filter((r) => r.name === name)) {
      logger.info({ role: name }, 'stopping');
      await role.stop();
    }
  }
}

/**
 * With payload encryption on and no CODEC_ENDPOINT_TOKEN, a development start that serves the codec endpoint and
 * the embedded Web UI itself makes up a token for this run, so the UI shows decoded payloads with nothing to set.
 */
function withCodecToken(config: Config, roles: RoleName[]): Config {
  const p = config.payloads;
  if (p.keys.length === 0 || p.codecToken || config.temporal.address || !roles.includes('webhooks'))
    return config;
  return { ...config, payloads: { ...p, codecToken: randomBytes(24).toString('base64url') } };
}

async function startEmbeddedServer(config: Config, logger: Logger, roles: RoleName[]): Promise<DevServer> {
  const cli = await provisionTemporalCli({
    cliPath: config.temporal.cliPath,
    progress: (message) => logger.info(message),
  });
  if (cli.kind === 'sdk-download') {
    logger.warn(`${explainMissingCli(cli.tried)}\nTrying the Temporal SDK's own download now.`);
  } else {
    logger.info({ path: cli.path, source: cli.source, version: cli.version }, 'using Temporal CLI');
  }
  const dbFile = path.join(config.dataDir, 'temporal.db');
  const server = await startDevServer({
    cli,
    dbFile,
    namespace: config.temporal.namespace,
    port: config.temporal.devPort,
    uiPort: config.temporal.devUiPort,
    // The Web UI decodes encrypted payloads through the webhooks role's codec endpoint (in this process or another
    // one given the same CODEC_ENDPOINT_TOKEN).
    ...(config.payloads.keys.length > 0 && config.payloads.codecToken && roles.includes('webhooks')
      ? {
          uiCodecEndpoint: uiCodecEndpoint(
            `http://localhost:${config.http.port}`,
            config.payloads.codecToken,
          ),
        }
      : {}),
  });
  logger.info({ address: server.address, dbFile }, `Temporal dev server running. Web UI: ${server.uiUrl}`);
  return server;
}
