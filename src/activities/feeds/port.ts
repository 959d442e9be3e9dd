/** One entry of an RSS or Atom feed, reduced to what an announcement shows. */
export interface FeedItem {
  /** Stable across polls: the item's guid (RSS) or id (Atom), else its link, else a hash of title and date. */
  id: string;
  title: string;
  link?: string;
  /** Plain-text excerpt, already clipped. */
  summary?: string;
  /** ISO 8601, when the feed gives a usable date. */
  publishedAt?: string;
}

export interface ParsedFeed {
  title?: string;
  /** Oldest first, the order they are announced in. */
  items: FeedItem[];
}

/** Reads a feed over HTTP. Throws `FeedFetchError` for HTTP failures so activities can class them. */
export interface FeedReader {
  read(feedUrl: string): Promise<ParsedFeed>;
}

export type LedgerOutcome = 'posted' | 'skipped';

/** An item about to be posted: claimed in the ledger first, so a later run knows a post may already exist. */
export interface FeedClaim {
  /** True when this call made the claim; false when an earlier attempt or run had (it may have posted). */
  fresh: boolean;
  /** When the item was first claimed (ms since the epoch): a post for it cannot be older. */
  claimedAt: number;
  /** Set when the item is already recorded as posted or skipped. */
  outcome?: LedgerOutcome;
  messageId?: string;
}

export interface FeedLedgerEntry {
  itemId: string;
  outcome: LedgerOutcome;
  messageId?: string;
}

export interface FeedLedgerSummary {
  feedUrl: string;
  posted: number;
  skipped: number;
  lastPostedAt?: string;
}

/**
 * Which feed items were already announced (or deliberately skipped), per feed. Durable, so a restart or a new
 * worker never announces an item twice.
 */
export interface FeedLedger {
  /** The subset of `itemIds` already recorded (posted or skipped) for the feed; claimed items are not. */
  recorded(feedUrl: string, itemIds: string[]): Promise<Set<string>>;
  /** Whether anything was ever recorded for the feed (a feed seen for the first time is baselined). */
  knows(feedUrl: string): Promise<boolean>;
  /**
   * Records entries; recording one again is a no-op, so retried activities are safe. A claimed item becomes posted
   * or skipped.
   */
  record(feedUrl: string, entries: FeedLedgerEntry[]): Promise<void>;
  /** Claims an item before its post (a no-op when claimed or recorded before); says what the ledger knew. */
  claim(feedUrl: string, itemId: string): Promise<FeedClaim>;
  summary(): Promise<FeedLedgerSummary[]>;
}
