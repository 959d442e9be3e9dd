import net from 'node:net';
import { Runtime } from '@temporalio/worker';
import { type Logger } from 'pino';
import { PinoTemporalLogger } from '../logging/temporal-logger';

/** A free loopback port for the SDK's exporter (which cannot report a port it picked itself). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let installed: { sdkMetricsUrl?: string } | undefined;

/**
 * Installs the Temporal Core runtime: the SDK's logs go to pino and, with `sdkMetrics`, its metrics to a Prometheus
 * exporter on a loopback port (the metrics server serves them with flexcord's). The runtime can be installed once
 * per process, before any worker or dev server; later calls return what the first one did. When something else
 * installed it first (the test harness does), that runtime is kept.
 */
export async function installTemporalRuntime(options: {
  logger: Logger;
  sdkMetrics: boolean;
}): Promise<{ sdkMetricsUrl?: string }> {
  if (installed) return installed;
  if (Runtime._instance) {
    installed = {};
    return installed;
  }
  const port = options.sdkMetrics ? await freeLoopbackPort() : undefined;
  Runtime.install({
    logger: new PinoTemporalLogger(options.logger.child({ component: 'temporal-sdk' })),
    ...(port ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${port}` } } } } : {}),
  });
  installed = port ? { sdkMetricsUrl: `http://127.0.0.1:${port}/metrics` } : {};
  return installed;
}
