import fs from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';

export const FEED_FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'feeds');

export function readFeedFixture(name: string): string {
  return fs.readFileSync(path.join(FEED_FIXTURES, name), 'utf8');
}

export interface FeedRoute {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Writes the body itself (after the head), for endless or slow bodies; called instead of sending `body`. */
  stream?: (res: http.ServerResponse) => void;
}

/** A local feed publisher on 127.0.0.1: each path answers with what the test last set for it (404 otherwise). */
export class FeedServer {
  readonly routes = new Map<string, FeedRoute>();
  readonly hits = new Map<string, number>();
  private server?: http.Server;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const route = this.routes.get(req.url ?? '');
      this.hits.set(req.url ?? '', (this.hits.get(req.url ?? '') ?? 0) + 1);
      res.writeHead(route?.status ?? (route ? 200 : 404), {
        'content-type': 'application/xml; charset=utf-8',
        ...route?.headers,
      });
      if (route?.stream) route.stream(res);
      else res.end(route?.body ?? '');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  serve(urlPath: string, route: FeedRoute): string {
    this.routes.set(urlPath, route);
    return this.url(urlPath);
  }

  url(urlPath: string): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${urlPath}`;
  }

  /** The port this server listens on (for URLs that name the host differently). */
  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
