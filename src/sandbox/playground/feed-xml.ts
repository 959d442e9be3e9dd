import { type FeedItem } from '../seed';

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The sandbox's official feed as RSS 2.0, newest first, for the feed relay to poll. */
export function feedXml(gameName: string, items: FeedItem[]): string {
  const entries = [...items]
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
    .map(
      (i) => `    <item>
      <guid isPermaLink="false">${escape(i.id)}</guid>
      <title>${escape(i.title)}</title>
      <link>${escape(i.link)}</link>
      <description>${escape(i.description)}</description>
      <pubDate>${new Date(i.publishedAt).toUTCString()}</pubDate>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${escape(gameName)} news</title>
    <link>https://starfall.example/news</link>
    <description>Official announcements (served by the flexcord sandbox)</description>
${entries}
  </channel>
</rss>
`;
}
