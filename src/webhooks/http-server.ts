import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Express } from 'express';

export interface RunningHttpServer {
  port: number;
  /** Stops accepting connections and waits for in-flight requests to finish. */
  close(): Promise<void>;
}

export function listen(app: Express, port: number, host?: string): Promise<RunningHttpServer> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host ?? '0.0.0.0');
    server.once('error', reject);
    server.once('listening', () => {
      const actual = (server.address() as AddressInfo).port;
      resolve({
        port: actual,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            server.closeIdleConnections();
          }),
      });
    });
  });
}
