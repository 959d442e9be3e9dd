import { createHash } from 'node:crypto';
import Parser from 'rss-parser';
import { type FeedItem, type FeedReader, type ParsedFeed } from './port';

/** An HTTP failure reading a feed; `retryAfterMs` comes from the server's Retry-After header when it sent one. */
export class FeedFetchError extends Error {
  constructor(
    readonly feedUrl: string,
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(`feed ${feedUrl} answered HTTP ${status}`);
    this.name = 'FeedFetchError';
  }
}

/** The body is not RSS or Atom; fetching again will not change that until the publisher fixes it. */
export class FeedParseError extends Error {
  constructor(feedUrl: string, cause: unknown) {
    super(
      `feed ${feedUrl} is not valid RSS or Atom: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'FeedParseError';
  }
}

export interface RssFeedReaderOptions {
  timeoutMs?: number;
  /** Feeds larger than this are refused rather than parsed into memory. */
  maxBytes?: number;
  userAgent?: string;
}

const SUMMARY_LENGTH = 300;
const TITLE_LENGTH = 256;

type RawItem = Parser.Item & { id?: string };

/** Reads RSS 2.0 and Atom with rss-parser; the HTTP part is ours so status codes and Retry-After reach Temporal. */
export class RssFeedReader implements FeedReader {
  private readonly parser = new Parser<Record<string, unknown>, { id?: string }>();

  constructor(private readonly options: RssFeedReaderOptions = {}) {}

  async read(feedUrl: string): Promise<ParsedFeed> {
    const response = await fetch(feedUrl, {
      headers: {
        accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
        'user-agent': this.options.userAgent ?? 'flexcord-feed-relay',
      },
      redirect: 'follow',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new FeedFetchError(feedUrl, response.status, retryAfterMs(response.headers.get('retry-after')));
    }
    const xml = await response.text();
    if (xml.length > (this.options.maxBytes ?? 5_000_000)) throw new FeedFetchError(feedUrl, 413);
    return this.parse(feedUrl, xml);
  }

  async parse(feedUrl: string, xml: string): Promise<ParsedFeed> {
    let output: Parser.Output<{ id?: string }>;
    try {
      output = await this.parser.parseString(xml);
    } catch (err) {
      throw new FeedParseError(feedUrl, err);
    }
    return { title: output.title, items: oldestFirst(output.items.map(toFeedItem)) };
  }
}

export function toFeedItem(raw: RawItem): FeedItem {
  const title = clean(raw.title) || clean(raw.link) || 'New post';
  const summary = clean(raw.contentSnippet ?? raw.summary);
  const link = clean(raw.link);
  return {
    id: itemId(raw),
    title: clip(title, TITLE_LENGTH),
    ...(link && /^https?:\/\//.test(link) ? { link } : {}),
    ...(summary ? { summary: clip(summary, SUMMARY_LENGTH) } : {}),
    ...(raw.isoDate ? { publishedAt: raw.isoDate } : {}),
  };
}

/** guid (RSS) or id (Atom), else the link, else a hash of title and date: stable as long as the entry is. */
export function itemId(raw: RawItem): string {
  const declared = clean(raw.guid) || clean(raw.id) || clean(raw.link);
  if (declared) return declared;
  return `sha256:${createHash('sha256')
    .update(`${raw.title ?? ''}\n${raw.isoDate ?? raw.pubDate ?? ''}`)
    .digest('hex')}`;
}

/**
 * Feeds list newest first by convention; announcements read best oldest first. When every item is dated the dates
 * decide (stable for ties); otherwise the reversed document order does.
 */
function oldestFirst(items: FeedItem[]): FeedItem[] {
  const reversed = [...items].reverse();
  if (!reversed.every((i) => i.publishedAt)) return reversed;
  return reversed.sort((a, b) => Date.parse(a.publishedAt!) - Date.parse(b.publishedAt!));
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function clean(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
