import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { toFeedFailure } from '../src/activities/feeds/failures';
import { FeedFetchError, FeedParseError, RssFeedReader } from '../src/activities/feeds/rss-feed-reader';
import { SqlFeedLedger } from '../src/activities/feeds/sql-feed-ledger';
import { openCaseDatabase, type CaseDatabase } from '../src/cases';
import { FeedServer, readFeedFixture } from './support/feed-server';

describe('feed reader (rss-parser behind our own HTTP)', () => {
  const reader = new RssFeedReader({ timeoutMs: 5000, allowedPrivateRanges: ['127.0.0.0/8'] });
  let server: FeedServer;

  before(async () => {
    server = await new FeedServer().start();
  });
  after(() => server.stop());

  it('reads RSS 2.0: guid as id (link when there is none), oldest first, plain-text summaries', async () => {
    const feed = await reader.read(
      server.serve('/releases.rss', { body: readFeedFixture('release-notes.rss.xml') }),
    );
    assert.equal(feed.title, 'Acme Release Notes');
    assert.deepEqual(
      feed.items.map((i) => [i.id, i.title]),
      [
        ['https://acme.example/releases/2-1', 'Acme 2.1: dark theme'],
        ['https://acme.example/releases/2-2', 'Acme 2.2: faster search'],
        ['acme-release-2.3', 'Acme 2.3: offline mode'],
      ],
    );
    const newest = feed.items[2]!;
    assert.equal(newest.link, 'https://acme.example/releases/2-3');
    assert.equal(newest.publishedAt, '2025-03-04T09:00:00.000Z');
    assert.equal(newest.summary, 'Work without a connection; changes sync when you are back online.');
  });

  it('reads Atom: entry id as item id, summary and updated date', async () => {
    const feed = await reader.read(
      server.serve('/status.atom', { body: readFeedFixture('status.atom.xml') }),
    );
    assert.equal(feed.title, 'Acme Status');
    assert.deepEqual(
      feed.items.map((i) => i.id),
      ['tag:status.acme.example,2025:maintenance-7', 'tag:status.acme.example,2025:incident-118'],
    );
    assert.equal(feed.items[1]!.link, 'https://status.acme.example/incidents/118');
    assert.match(feed.items[1]!.summary ?? '', /^Notifications were delayed/);
  });

  it('gives items without guid, id or link a stable id from title and date', async () => {
    const xml = readFeedFixture('no-ids.rss.xml');
    const first = await reader.parse('https://x.example/tips', xml);
    const again = await reader.parse('https://x.example/tips', xml);
    assert.equal(first.items.length, 2);
    for (const item of first.items) assert.match(item.id, /^sha256:[0-9a-f]{64}$/);
    assert.notEqual(first.items[0]!.id, first.items[1]!.id);
    assert.deepEqual(
      again.items.map((i) => i.id),
      first.items.map((i) => i.id),
    );
    assert.equal(first.items[0]!.link, undefined);
  });

  it('classes HTTP failures: 404 permanent, 503 retryable after Retry-After, bad XML permanent', async () => {
    const failure = async (urlPath: string): Promise<unknown> => {
      try {
        await reader.read(server.url(urlPath));
      } catch (err) {
        return err;
      }
      assert.fail(`expected ${urlPath} to fail`);
    };
    const missing = await failure('/nothing-here');
    assert.ok(missing instanceof FeedFetchError);
    assert.equal(missing.status, 404);
    const gone = toFeedFailure(missing);
    assert.ok(gone instanceof ApplicationFailure);
    assert.equal(gone.nonRetryable, true);

    server.serve('/busy', { status: 503, headers: { 'retry-after': '7' } });
    const busy = toFeedFailure(await failure('/busy'));
    assert.ok(busy instanceof ApplicationFailure);
    assert.equal(busy.nonRetryable, false);
    assert.equal(busy.nextRetryDelay, 7000);

    server.serve('/html', { body: '<html><body>Not a feed</body></html>' });
    const html = await failure('/html');
    assert.ok(html instanceof FeedParseError, String(html));
    assert.equal((toFeedFailure(html) as ApplicationFailure).nonRetryable, true);
  });
});

describe('feed ledger on the case store database', () => {
  let database: CaseDatabase;
  let ledger: SqlFeedLedger;

  beforeEach(async () => {
    database = await openCaseDatabase({ sqliteFile: ':memory:' });
    ledger = await SqlFeedLedger.open(database.db);
  });
  afterEach(() => database.close());

  it('remembers items per feed, ignores repeats, and summarises', async () => {
    const feed = 'https://acme.example/feed';
    assert.equal(await ledger.knows(feed), false);
    await ledger.record(feed, [
      { itemId: 'a', outcome: 'posted', messageId: '1' },
      { itemId: 'b', outcome: 'skipped' },
    ]);
    await ledger.record(feed, [{ itemId: 'a', outcome: 'posted', messageId: 'other' }]);
    assert.equal(await ledger.knows(feed), true);
    assert.equal(await ledger.knows('https://other.example/feed'), false);
    assert.deepEqual([...(await ledger.recorded(feed, ['a', 'b', 'c']))].sort(), ['a', 'b']);
    assert.deepEqual([...(await ledger.recorded('https://other.example/feed', ['a']))], []);
    const [summary] = await ledger.summary();
    assert.equal(summary!.feedUrl, feed);
    assert.equal(summary!.posted, 1);
    assert.equal(summary!.skipped, 1);
    assert.ok(summary!.lastPostedAt);
  });

  it('keeps its own migration history beside the case store', async () => {
    const tables = (await database.db.introspection.getTables()).map((t) => t.name);
    assert.ok(tables.includes('flexcord_feed_migrations'));
    assert.ok(tables.includes('flexcord_case_migrations'));
    assert.ok(tables.includes('feed_items'));
    await SqlFeedLedger.open(database.db); // reopening migrates nothing and does not fail
  });

  it('looks up hundreds of ids at once (queried in slices)', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => `item-${i}`);
    await ledger.record(
      'f',
      ids.filter((_, i) => i % 2 === 0).map((itemId) => ({ itemId, outcome: 'posted' as const })),
    );
    assert.equal((await ledger.recorded('f', ids)).size, 225);
  });
});
