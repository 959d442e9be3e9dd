import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import Parser from 'rss-parser';
import { Agent, fetch, type Response } from 'undici';
import {
  addressRefusal,
  AddressRefusedError,
  guardedLookup,
  parseAddressRanges,
  type AddressRange,
} from './address-policy';
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

/**
 * flexcord will not read this feed as configured: a scheme other than http(s), an address outside the allowed
 * ranges, too many redirects, or a body over the byte limit. Retrying cannot help.
 */
export class FeedRefusedError extends Error {
  constructor(feedUrl: string, reason: string) {
    super(`feed ${feedUrl} refused: ${reason}`);
    this.name = 'FeedRefusedError';
  }
}

/** The feed did not finish (redirects, headers and body) within the time limit; the next attempt may. */
export class FeedTimeoutError extends Error {
  constructor(feedUrl: string, timeoutMs: number) {
    super(`feed ${feedUrl} did not finish within ${timeoutMs} ms`);
    this.name = 'FeedTimeoutError';
  }
}

export interface RssFeedReaderOptions {
  /** The whole read, redirects and body included, must finish within this (default 15 s). */
  timeoutMs?: number;
  /** Bodies larger than this (after decompression) are refused; reading stops there (default 5 MB). */
  maxBytes?: number;
  /** Redirects followed per read (default 5); each hop is checked like the first URL. */
  maxRedirects?: number;
  /**
   * Non-public ranges feeds may be read from (CIDR or single addresses, `FEED_ALLOWED_PRIVATE_RANGES`). Empty by
   * default: a feed URL cannot reach loopback, the private network or cloud metadata.
   */
  allowedPrivateRanges?: readonly string[];
  userAgent?: string;
}

const SUMMARY_LENGTH = 300;
const TITLE_LENGTH = 256;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

type RawItem = Parser.Item & { id?: string };

/**
 * Reads RSS 2.0 and Atom with rss-parser; the HTTP part is ours so status codes and Retry-After reach Temporal, and
 * so a feed cannot exhaust the worker: a byte limit while streaming, one deadline for the whole read, a redirect
 * limit, http(s) only, and an address check at connect time (undici's `connect.lookup`) plus for IP literals.
 */
export class RssFeedReader implements FeedReader {
  private readonly parser = new Parser<Record<string, unknown>, { id?: string }>();
  private readonly allowed: AddressRange[];
  private readonly dispatcher: Agent;

  constructor(private readonly options: RssFeedReaderOptions = {}) {
    this.allowed = parseAddressRanges(options.allowedPrivateRanges ?? []);
    this.dispatcher = new Agent({ connect: { lookup: guardedLookup(this.allowed) } });
  }

  async read(feedUrl: string): Promise<ParsedFeed> {
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    const signal = AbortSignal.timeout(timeoutMs);
    let xml: string;
    try {
      const response = await this.fetchFollowingRedirects(feedUrl, signal);
      if (!response.ok) {
        await response.body?.cancel();
        throw new FeedFetchError(feedUrl, response.status, retryAfterMs(response.headers.get('retry-after')));
      }
      xml = await this.readBody(feedUrl, response);
    } catch (err) {
      if (signal.aborted) throw new FeedTimeoutError(feedUrl, timeoutMs);
      const refused = findCause(err, AddressRefusedError);
      if (refused) throw new FeedRefusedError(feedUrl, refused.reason);
      throw err;
    }
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

  /** Releases the reader's pooled connections (worker shutdown). */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async fetchFollowingRedirects(feedUrl: string, signal: AbortSignal): Promise<Response> {
    const maxRedirects = this.options.maxRedirects ?? 5;
    let url = this.checkedUrl(feedUrl, feedUrl);
    for (let redirects = 0; ; redirects++) {
      const response = await fetch(url, {
        headers: {
          accept:
            'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
          'user-agent': this.options.userAgent ?? 'flexcord-feed-relay',
        },
        // Followed by hand, so every hop gets the scheme and address checks and the count is ours.
        redirect: 'manual',
        signal,
        dispatcher: this.dispatcher,
      });
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || !location) return response;
      await response.body?.cancel();
      if (redirects >= maxRedirects) {
        throw new FeedRefusedError(feedUrl, `it redirected more than ${maxRedirects} times`);
      }
      url = this.checkedUrl(feedUrl, new URL(location, url).href);
    }
  }

  /** http(s) only, and an IP literal must be allowed (names are checked when they resolve). */
  private checkedUrl(feedUrl: string, target: string): URL {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new FeedRefusedError(feedUrl, `${target} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new FeedRefusedError(feedUrl, `only http and https are read, not ${url.protocol}`);
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host)) {
      const refusal = addressRefusal(host, this.allowed);
      if (refusal) throw new FeedRefusedError(feedUrl, refusal);
    }
    return url;
  }

  /** Streams the body, stopping (and closing the connection) as soon as it passes the byte limit. */
  private async readBody(feedUrl: string, response: Response): Promise<string> {
    const maxBytes = this.options.maxBytes ?? 5_000_000;
    const tooLarge = () => new FeedRefusedError(feedUrl, `it is larger than ${maxBytes} bytes`);
    if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
      await response.body?.cancel();
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body) {
      // Leaving the loop early cancels the stream, which closes the connection.
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > maxBytes) throw tooLarge();
        chunks.push(chunk);
      }
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
  }
}

function findCause<T extends Error>(err: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof type) return e;
  }
  return undefined;
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
