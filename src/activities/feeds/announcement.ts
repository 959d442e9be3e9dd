import { type AnnouncementEmbed } from '../discord/port';
import { type FeedItem } from './port';

/** One feed item as the embed posted to the announcements channel. */
export function announcementEmbed(item: FeedItem, feedTitle?: string): AnnouncementEmbed {
  return {
    title: item.title,
    ...(item.link ? { url: item.link } : {}),
    ...(item.summary ? { description: item.summary } : {}),
    ...(item.publishedAt ? { timestamp: item.publishedAt } : {}),
    ...(feedTitle ? { footer: feedTitle.slice(0, 2048) } : {}),
  };
}

/** The nonce source for an item's post: the same item in the same feed always maps to the same message. */
export function announcementDedupeKey(feedUrl: string, itemId: string): string {
  return `feed:${feedUrl}#${itemId}`;
}
