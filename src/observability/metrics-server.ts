import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Registry } from 'prom-client';

export interface MetricsServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  /**
   * The Temporal SDK's own Prometheus exporter (the Core runtime serves it on a loopback port): its text is appended,
   * so each process has one scrape target with both flexcord's and the SDK's metrics.
   */
  sdkMetricsUrl?: string;
}

export interface RunningMetricsServer {
  port: number;
  close(): Promise<void>;
}

async function sdkMetricsText(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return `# Temporal SDK metrics unavailable: HTTP ${response.status}\n`;
    return await response.text();
  } catch (err) {
    return `# Temporal SDK metrics unavailable: ${(err as Error).message}\n`;
  }
}

/** `GET /metrics` in the Prometheus text format; nothing else is served. */
export function startMetricsServer(options: MetricsServerOptions): Promise<RunningMetricsServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: metrics are at /metrics\n');
      return;
    }
    void (async () => {
      try {
        const own = await options.registry.metrics();
        const sdk = options.sdkMetricsUrl ? await sdkMetricsText(options.sdkMetricsUrl) : '';
        res.writeHead(200, { 'content-type': options.registry.contentType }).end(`${own}\n${sdk}`);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`);
      }
    })();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
