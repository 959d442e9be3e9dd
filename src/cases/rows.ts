import { type Selectable, type Updateable } from 'kysely';
import {
  type CaseChanges,
  type CaseSummary,
  STAFF_NOTE_ACTION,
  type StaffNote,
  type TranscriptEntry,
} from '../shared/case-types';
import type { CaseDetail, CaseLink } from '../activities/cases/port';
import { type CasesTable, type EventsTable, type TranscriptTable } from './tables';

/* Conversions between stored rows and the port's shapes; SQL null becomes an absent field. */

export function toSummary(row: Selectable<CasesTable>): CaseSummary {
  return {
    number: row.number,
    type: row.type,
    status: row.status,
    priority: row.priority,
    guildId: row.guild_id,
    reporter: { discordId: row.reporter_id, name: row.reporter_name },
    title: row.title,
    ...(row.assigned_agent ? { assignedAgent: row.assigned_agent } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.workflow_id ? { workflowId: row.workflow_id } : {}),
  };
}

export function toDetail(
  row: Selectable<CasesTable>,
  transcript: Selectable<TranscriptTable>[],
  events: Selectable<EventsTable>[],
  links: CaseLink[],
): CaseDetail {
  return {
    ...toSummary(row),
    description: row.description,
    fields: JSON.parse(row.fields_json) as Record<string, string>,
    transcript: transcript.map(toTranscriptEntry),
    events: events.map((e) => ({
      eventId: e.event_id,
      actor: e.actor,
      action: e.action,
      ...(e.detail !== null ? { detail: e.detail } : {}),
      at: e.at,
    })),
    notes: events.filter((e) => e.action === STAFF_NOTE_ACTION).map(toStaffNote),
    ...(row.close_reason !== null ? { closeReason: row.close_reason } : {}),
    ...(row.rating !== null ? { rating: row.rating } : {}),
    twilio: dropNulls({
      conversationSid: row.twilio_conversation_sid,
      interactionSid: row.twilio_interaction_sid,
      channelSid: row.twilio_channel_sid,
      taskSid: row.twilio_task_sid,
    }),
    links,
    ...(row.closed_at !== null ? { closedAt: row.closed_at } : {}),
  };
}

export function toStaffNote(e: Selectable<EventsTable>): StaffNote {
  return { caseNumber: e.case_number, author: e.actor, text: e.detail ?? '', at: e.at };
}

export function toTranscriptEntry(row: Selectable<TranscriptTable>): TranscriptEntry {
  return {
    entryId: row.entry_id,
    direction: row.direction,
    authorKind: row.author_kind,
    author: row.author,
    text: row.text,
    attachments: JSON.parse(row.attachments_json) as TranscriptEntry['attachments'],
    at: row.at,
    ...(row.revises_entry_id && row.revision
      ? { revises: { entryId: row.revises_entry_id, kind: row.revision } }
      : {}),
  };
}

export function transcriptRow(caseNumber: number, entry: TranscriptEntry) {
  return {
    case_number: caseNumber,
    entry_id: entry.entryId,
    direction: entry.direction,
    author_kind: entry.authorKind,
    author: entry.author,
    text: entry.text,
    attachments_json: JSON.stringify(entry.attachments ?? []),
    at: entry.at,
    revises_entry_id: entry.revises?.entryId ?? null,
    revision: entry.revises?.kind ?? null,
  };
}

/** The columns a CaseChanges sets; fields left undefined are not touched. */
export function changeColumns(changes: CaseChanges): Updateable<CasesTable> {
  const columns: Partial<Record<keyof CasesTable, unknown>> = {
    status: changes.status,
    priority: changes.priority,
    assigned_agent: changes.assignedAgent,
    twilio_conversation_sid: changes.twilioConversationSid,
    twilio_interaction_sid: changes.twilioInteractionSid,
    twilio_channel_sid: changes.twilioChannelSid,
    twilio_task_sid: changes.twilioTaskSid,
    close_reason: changes.closeReason,
    rating: changes.rating,
  };
  return Object.fromEntries(
    Object.entries(columns).filter(([, v]) => v !== undefined),
  ) as Updateable<CasesTable>;
}

/** A readable "what changed" for the event log when the caller gave no detail. */
export function describeChanges(changes: CaseChanges): string | undefined {
  const parts = Object.entries(changes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function dropNulls<T extends Record<string, string | null>>(obj: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null)) as { [K in keyof T]?: string };
}
