import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { toFeedFailure } from '../src/activities/feeds/failures';
import { RssFeedReader } from '../src/activities/feeds/rss-feed-reader';
import { FeedServer, readFeedFixture } from './support/feed-server';

/**
 * A feed URL is operator configuration, but what answers at it is not: a compromised or hostile publisher (or a
 * typo) must not make the worker read without end, wait without end, follow redirects without end, or reach the
 * worker's own network (cloud metadata, the database, Temporal).
 */
describe('feed fetch limits (bytes, time, redirects, schemes, private addresses)', function () {
  this.timeout(30_000);
  let server: FeedServer;
  const RSS = readFeedFixture('release-notes.rss.xml');
  // Options passed as a variable: the reader's option type is what is under test.
  const reader = (options: Record<string, unknown> = {}) =>
    new RssFeedReader({ timeoutMs: 5000, ...options } as ConstructorParameters<typeof RssFeedReader>[0]);
  const localReader = (options: Record<string, unknown> = {}) =>
    reader({ allowedPrivateRanges: ['127.0.0.0/8'], ...options });

  /** What the activity would throw to Temporal for a failed read. */
  async function failure(read: Promise<unknown>): Promise<ApplicationFailure> {
    try {
      await read;
    } catch (err) {
      const mapped = toFeedFailure(err);
      assert.ok(mapped instanceof ApplicationFailure, `not classified: ${String(err)}`);
      return mapped;
    }
    assert.fail('the read succeeded');
  }

  beforeEach(async () => {
    server = await new FeedServer().start();
  });
  afterEach(() => server.stop());

  it('refuses loopback, private, link-local and other special addresses before connecting', async () => {
    const url = server.serve('/feed.rss', { body: RSS });
    const refused = [
      url,
      `http://localhost:${server.port}/feed.rss`,
      `http://[::1]:${server.port}/feed.rss`,
      `http://[::ffff:127.0.0.1]:${server.port}/feed.rss`,
      `http://0.0.0.0:${server.port}/feed.rss`,
      `http://2130706433:${server.port}/feed.rss`, // 127.0.0.1 as one number
      'http://10.1.2.3/feed.rss',
      'http://172.16.0.1/feed.rss',
      'http://192.168.1.1/feed.rss',
      'http://100.64.0.1/feed.rss', // carrier-grade NAT
      'http://169.254.169.254/latest/meta-data/', // cloud metadata
      'http://[fd00::1]/feed.rss',
      'http://[fe80::1]/feed.rss',
      'http://224.0.0.1/feed.rss',
      'http://[64:ff9b::7f00:1]/feed.rss', // NAT64 form of 127.0.0.1
    ];
    for (const target of refused) {
      const f = await failure(reader({ timeoutMs: 2000 }).read(target));
      assert.equal(f.type, 'FeedRefused', `${target}: ${f.message}`);
      assert.equal(f.nonRetryable, true, target);
      assert.match(f.message, /address/, target);
    }
    assert.equal(server.hits.get('/feed.rss') ?? 0, 0, 'nothing reached the local server');
  });

  it('reads a feed on a private address only in a range the operator allows', async () => {
    const url = server.serve('/feed.rss', { body: RSS });
    const feed = await localReader().read(url);
    assert.equal(feed.items.length, 3);
    const onlyOther = await failure(reader({ allowedPrivateRanges: ['10.0.0.0/8'] }).read(url));
    assert.equal(onlyOther.type, 'FeedRefused');
    assert.equal(server.hits.get('/feed.rss'), 1);
  });

  it('reads http and https only', async () => {
    for (const target of [
      `data:application/rss+xml,${encodeURIComponent(RSS)}`,
      'file:///etc/passwd',
      'ftp://127.0.0.1/feed.rss',
    ]) {
      const f = await failure(localReader().read(target));
      assert.equal(f.type, 'FeedRefused', target);
      assert.match(f.message, /http/, target);
    }
  });

  it('stops reading a feed larger than the byte limit, without waiting for its end', async () => {
    let written = 0;
    let closed = false;
    const url = server.serve('/endless.rss', {
      stream: (res) => {
        res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>');
        const chunk = `<item><title>${'x'.repeat(16 * 1024)}</title></item>`;
        const pump = () => {
          while (!closed && res.write(chunk)) written += chunk.length;
          if (!closed) res.once('drain', pump);
        };
        res.on('close', () => (closed = true));
        pump();
      },
    });
    const f = await failure(localReader({ maxBytes: 256 * 1024, timeoutMs: 10_000 }).read(url));
    assert.equal(f.type, 'FeedRefused');
    assert.match(f.message, /262144 bytes/);
    assert.ok(written < 8 * 1024 * 1024, `the reader stopped early (server wrote ${written} bytes)`);

    const declared = server.serve('/declared.rss', { headers: { 'content-length': String(1024 * 1024) } });
    const big = await failure(localReader({ maxBytes: 1000 }).read(declared));
    assert.equal(big.type, 'FeedRefused');
  });

  it('gives up at the time limit even when the feed keeps sending a byte at a time (retryable)', async () => {
    const timers = new Set<NodeJS.Timeout>();
    const url = server.serve('/drip.rss', {
      stream: (res) => {
        res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
        const timer = setInterval(() => res.write(' '), 50);
        timers.add(timer);
        res.on('close', () => clearInterval(timer));
      },
    });
    try {
      const f = await failure(localReader({ timeoutMs: 600 }).read(url));
      assert.equal(f.type, 'FeedUnavailable');
      assert.equal(f.nonRetryable, false);
      assert.match(f.message, /600 ms/);
    } finally {
      for (const t of timers) clearInterval(t);
    }
  });

  it('follows at most the redirect limit, and checks every hop like the first', async () => {
    server.serve('/feed.rss', { body: RSS });
    const hop = (from: string, to: string) => server.serve(from, { status: 302, headers: { location: to } });
    hop('/a', '/b');
    hop('/b', '/feed.rss');
    const feed = await localReader({ maxRedirects: 2 }).read(server.url('/a'));
    assert.equal(feed.items.length, 3);

    hop('/r0', '/r1');
    hop('/r1', '/r2');
    hop('/r2', '/r3');
    hop('/r3', '/feed.rss');
    const tooMany = await failure(localReader({ maxRedirects: 2 }).read(server.url('/r0')));
    assert.equal(tooMany.type, 'FeedRefused');
    assert.match(tooMany.message, /redirect/);
    assert.equal(server.hits.get('/r3') ?? 0, 0, 'the third redirect is not followed');

    // Allowed: 127.0.0.1 only. A redirect to another loopback address is checked at its own hop.
    hop('/elsewhere', `http://127.0.0.2:${server.port}/feed.rss`);
    const before = server.hits.get('/feed.rss');
    const elsewhere = await failure(
      reader({ allowedPrivateRanges: ['127.0.0.1/32'] }).read(server.url('/elsewhere')),
    );
    assert.equal(elsewhere.type, 'FeedRefused');
    assert.match(elsewhere.message, /127\.0\.0\.2/);
    assert.equal(server.hits.get('/feed.rss'), before);

    hop('/to-data', `data:application/rss+xml,${encodeURIComponent(RSS)}`);
    const toData = await failure(localReader().read(server.url('/to-data')));
    assert.equal(toData.type, 'FeedRefused');
  });
});
