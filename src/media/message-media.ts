import { z } from 'zod';
import type { Attachment } from '../shared/support-types';
import { type MediaRef } from './media-links';

/** One attachment of a Conversations message, as flexcord uses it. */
export interface MessageMedia {
  /** The Media Content Service sid (`ME…`); undefined when Twilio sent none we can use. */
  sid?: string;
  filename: string;
  contentType?: string;
}

/*
 * The webhook's `Media` parameter is a JSON array, one object per file, with PascalCase keys (Sid, Filename,
 * ContentType, Size, Category); the REST Message resource uses snake_case (sid, filename, content_type). Both are
 * read, so a copy of either shape works.
 */
const mediaItem = z.record(z.string(), z.unknown());

const MEDIA_SID = /^ME[0-9a-fA-F]{32}$/;

/**
 * The media of a message: the webhook's JSON text or the REST resource's array. An absent or malformed list is no
 * media (the text still goes through).
 */
export function parseMessageMedia(media: string | unknown[] | null | undefined): MessageMedia[] {
  if (!media) return [];
  let parsed: unknown = media;
  if (typeof media === 'string') {
    try {
      parsed = JSON.parse(media);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.map((raw): MessageMedia => {
    const item = mediaItem.safeParse(raw);
    if (!item.success) return { filename: 'file' };
    const sid = text(item.data.Sid) ?? text(item.data.sid);
    // Shown as a Markdown link label in Discord: brackets or line breaks in a name would break the link.
    const filename = (text(item.data.Filename) ?? text(item.data.filename) ?? 'file')
      .replace(/[[\]\r\n]+/g, ' ')
      .slice(0, 200);
    const contentType = text(item.data.ContentType) ?? text(item.data.content_type);
    return {
      ...(sid && MEDIA_SID.test(sid) ? { sid } : {}),
      filename,
      ...(contentType ? { contentType } : {}),
    };
  });
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** Turns Twilio media into a link a Discord user can open (the signed /media route). */
export type MediaLinker = (media: MediaRef) => string;

/**
 * An agent message's text and attachments, the same whichever way it reached us (webhook or reconciliation):
 * linked media become attachments; media that cannot be linked are named in the text, so nothing goes unsaid.
 */
export function agentMessageContent(
  body: string | null | undefined,
  media: string | unknown[] | null | undefined,
  serviceSid: string | null | undefined,
  mediaLink: MediaLinker | undefined,
): { text: string; attachments: Attachment[] } {
  const attachments: Attachment[] = [];
  const unlinked: string[] = [];
  for (const item of parseMessageMedia(media)) {
    if (!mediaLink || !serviceSid || !item.sid) {
      unlinked.push(item.filename);
      continue;
    }
    attachments.push({
      url: mediaLink({ serviceSid, mediaSid: item.sid }),
      name: item.filename,
      ...(item.contentType ? { contentType: item.contentType } : {}),
    });
  }
  const text = [body ?? '', ...unlinked.map((n) => `[attachment: ${n}]`)].filter(Boolean).join('\n');
  return { text, attachments };
}
