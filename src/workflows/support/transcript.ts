import type { TranscriptEntry } from '../../shared/case-types';
import type { Locale } from '../../shared/i18n/locales';
import type {
  AgentMessageEvent,
  ArticleHit,
  DiscordUserRef,
  UserMessageEvent,
} from '../../shared/support-types';

/*
 * Transcript lines and the Flex task summary, built from events. Pure: runs inside the workflow. Entry ids are the
 * inbound event ids (Discord message id, Twilio MessageSid) or ids the workflow derives from them, so the case
 * store can drop a line it already has when an activity is retried.
 */

export function userEntry(user: DiscordUserRef, event: UserMessageEvent): TranscriptEntry {
  return {
    entryId: event.eventId,
    direction: 'inbound',
    authorKind: 'user',
    author: user.userName,
    text: event.text,
    attachments: event.attachments,
    at: event.sentAt,
  };
}

export function agentEntry(event: AgentMessageEvent): TranscriptEntry {
  return {
    entryId: event.eventId,
    direction: 'outbound',
    authorKind: 'agent',
    author: event.agentName,
    text: event.text,
    attachments: event.attachments,
    at: event.sentAt,
  };
}

export function botEntry(entryId: string, text: string, articles: ArticleHit[], at: Date): TranscriptEntry {
  const links = articles.map((a) => `- ${a.title} <${a.url}>`).join('\n');
  return {
    entryId,
    direction: 'outbound',
    authorKind: 'bot',
    author: 'flexcord',
    text: links ? `${text}\n${links}` : text,
    attachments: [],
    at: at.toISOString(),
  };
}

export function systemEntry(entryId: string, text: string, at: Date): TranscriptEntry {
  return {
    entryId,
    direction: 'outbound',
    authorKind: 'system',
    author: 'flexcord',
    text,
    attachments: [],
    at: at.toISOString(),
  };
}

/** Keeps the last `max` entries: the pre-case transcript lives in workflow state, so it must stay small. */
export function appendBounded<T>(list: T[], item: T, max: number): T[] {
  const next = [...list, item];
  return next.length > max ? next.slice(next.length - max) : next;
}

export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** A case title from the user's first question. */
export function caseTitle(entries: TranscriptEntry[], user: DiscordUserRef): string {
  const first = entries.find((e) => e.authorKind === 'user' && e.text.trim().length > 0);
  return first ? truncate(first.text, 80) : `Support request from ${user.userName}`;
}

/** Everything the user wrote before asking for a person. */
export function caseDescription(entries: TranscriptEntry[]): string {
  const lines = entries.filter((e) => e.authorKind === 'user').map((e) => e.text.trim());
  return truncate(lines.join('\n') || '(the user asked for a person straight away)', 1000);
}

/** One line per entry, newest last, for the agent's first look in Flex. */
export function transcriptExcerpt(entries: TranscriptEntry[], maxEntries: number): string {
  return entries
    .slice(-maxEntries)
    .map((e) => `[${e.at}] ${e.author} (${e.authorKind}): ${truncate(e.text, 300)}`)
    .join('\n');
}

/** TaskRouter task attributes: what the agent sees when the task is offered. */
export function flexTaskAttributes(input: {
  caseNumber: number;
  user: DiscordUserRef;
  workflowId: string;
  title: string;
  articles: ArticleHit[];
  transcript: TranscriptEntry[];
  /** The user's language (so Flex can route by language skill); unset in runs from before languages. */
  locale?: Locale;
  /** Private staff notes on the user's cases, newest first; unset in histories recorded before they existed. */
  staffNotes?: { caseNumber: number; author: string; at: string; text: string }[];
}): Record<string, unknown> {
  return {
    caseNumber: input.caseNumber,
    flexcordWorkflowId: input.workflowId,
    channel: 'discord',
    customerName: input.user.userName,
    discordUserId: input.user.userId,
    discordGuildId: input.user.guildId,
    summary: input.title,
    suggestedArticles: input.articles.map((a) => ({ title: a.title, url: a.url })),
    transcript: transcriptExcerpt(input.transcript, 30),
    ...(input.staffNotes ? { staffNotes: input.staffNotes } : {}),
    // TaskRouter workflows can route on it (`language == "es"`), to agents with the language as a skill.
    ...(input.locale ? { language: input.locale } : {}),
  };
}
