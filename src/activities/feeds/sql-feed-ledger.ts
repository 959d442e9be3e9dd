import { type Kysely } from 'kysely';
import { migrateFeedLedger } from './feed-migrations';
import {
  type FeedClaim,
  type FeedLedger,
  type FeedLedgerEntry,
  type FeedLedgerSummary,
  type LedgerOutcome,
} from './port';

export type FeedTables = {
  feed_items: {
    feed_url: string;
    item_id: string;
    outcome: string;
    message_id: string | null;
    recorded_at: string;
  };
};

/** The outcome of an item claimed for posting whose post is not confirmed yet. */
const CLAIMED = 'claimed';

/** Lookups go in slices: SQLite caps bound parameters, and feeds can list hundreds of items. */
const LOOKUP_SLICE = 200;

/** FeedLedger on the case store's database (SQLite or PostgreSQL), in its own table. */
export class SqlFeedLedger implements FeedLedger {
  private constructor(private readonly db: Kysely<FeedTables>) {}

  /** Takes any Kysely instance on the database (the case store's) and migrates the ledger's table. */
  static async open<DB>(db: Kysely<DB>): Promise<SqlFeedLedger> {
    await migrateFeedLedger(db);
    return new SqlFeedLedger(db.withTables<FeedTables>() as unknown as Kysely<FeedTables>);
  }

  async recorded(feedUrl: string, itemIds: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < itemIds.length; i += LOOKUP_SLICE) {
      const rows = await this.db
        .selectFrom('feed_items')
        .select('item_id')
        .where('feed_url', '=', feedUrl)
        .where('item_id', 'in', itemIds.slice(i, i + LOOKUP_SLICE))
        .where('outcome', '!=', CLAIMED)
        .execute();
      for (const row of rows) found.add(row.item_id);
    }
    return found;
  }

  async knows(feedUrl: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('feed_items')
      .select('item_id')
      .where('feed_url', '=', feedUrl)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async record(feedUrl: string, entries: FeedLedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const recordedAt = new Date().toISOString();
    await this.db
      .insertInto('feed_items')
      .values(
        entries.map((e) => ({
          feed_url: feedUrl,
          item_id: e.itemId,
          outcome: e.outcome,
          message_id: e.messageId ?? null,
          recorded_at: recordedAt,
        })),
      )
      // Recorded already: nothing changes, except that a claim becomes what happened to it.
      .onConflict((oc) =>
        oc
          .columns(['feed_url', 'item_id'])
          .doUpdateSet((eb) => ({
            outcome: eb.ref('excluded.outcome'),
            message_id: eb.ref('excluded.message_id'),
            recorded_at: eb.ref('excluded.recorded_at'),
          }))
          .where('feed_items.outcome', '=', CLAIMED),
      )
      .execute();
  }

  async claim(feedUrl: string, itemId: string): Promise<FeedClaim> {
    const inserted = await this.db
      .insertInto('feed_items')
      .values({
        feed_url: feedUrl,
        item_id: itemId,
        outcome: CLAIMED,
        message_id: null,
        recorded_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.columns(['feed_url', 'item_id']).doNothing())
      .executeTakeFirst();
    const row = await this.db
      .selectFrom('feed_items')
      .select(['outcome', 'message_id', 'recorded_at'])
      .where('feed_url', '=', feedUrl)
      .where('item_id', '=', itemId)
      .executeTakeFirstOrThrow();
    return {
      fresh: Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0,
      claimedAt: Date.parse(row.recorded_at),
      ...(row.outcome === CLAIMED ? {} : { outcome: row.outcome as LedgerOutcome }),
      ...(row.message_id ? { messageId: row.message_id } : {}),
    };
  }

  async summary(): Promise<FeedLedgerSummary[]> {
    const rows = await this.db
      .selectFrom('feed_items')
      .select((eb) => [
        'feed_url',
        'outcome',
        eb.fn.countAll<string | number>().as('count'),
        eb.fn.max('recorded_at').as('last_at'),
      ])
      .where('outcome', '!=', CLAIMED)
      .groupBy(['feed_url', 'outcome'])
      .orderBy('feed_url')
      .execute();
    const byFeed = new Map<string, FeedLedgerSummary>();
    for (const row of rows) {
      const entry = byFeed.get(row.feed_url) ?? { feedUrl: row.feed_url, posted: 0, skipped: 0 };
      if (row.outcome === 'posted') {
        entry.posted = Number(row.count);
        entry.lastPostedAt = row.last_at ?? undefined;
      } else entry.skipped += Number(row.count);
      byFeed.set(row.feed_url, entry);
    }
    return [...byFeed.values()];
  }
}
