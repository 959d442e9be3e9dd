import { type Generated } from 'kysely';
import type { CasePriority, CaseStatus, CaseType } from '../shared/case-types';

/*
 * The case store's tables as Kysely sees them after the latest migration. JSON and timestamps are stored as text
 * (ISO 8601, which sorts correctly) so one schema works on SQLite and PostgreSQL alike.
 */
export interface CasesTable {
  number: Generated<number>;
  idempotency_key: string;
  type: CaseType;
  status: CaseStatus;
  priority: CasePriority;
  guild_id: string;
  reporter_id: string;
  reporter_name: string;
  title: string;
  description: string;
  fields_json: string;
  suggested_articles_json: string;
  assigned_agent: string | null;
  twilio_conversation_sid: string | null;
  twilio_interaction_sid: string | null;
  twilio_channel_sid: string | null;
  twilio_task_sid: string | null;
  close_reason: string | null;
  rating: number | null;
  workflow_id: string | null;
  created_at: string;
  updated_at: string;
  /** Added in migration 0002. */
  closed_at: string | null;
}

export interface TranscriptTable {
  id: Generated<number>;
  case_number: number;
  entry_id: string;
  direction: 'inbound' | 'outbound';
  author_kind: 'user' | 'bot' | 'agent' | 'system';
  author: string;
  text: string;
  attachments_json: string;
  at: string;
  /** Added in migration 0003: the line this one edits or deletes. */
  revises_entry_id: string | null;
  revision: 'edited' | 'deleted' | null;
}

export interface EventsTable {
  id: Generated<number>;
  case_number: number;
  event_id: string;
  actor: string;
  action: string;
  detail: string | null;
  at: string;
}

/** Added in migration 0002: `case_number` relates to `linked_case_number` as `kind` (e.g. duplicate_of). */
export interface LinksTable {
  case_number: number;
  linked_case_number: number;
  kind: string;
  created_at: string;
}

/** Added in migration 0004: one support conversation's milestones (ISO 8601 text), for analytics. */
export interface SupportConversationsTable {
  conversation_id: string;
  workflow_id: string;
  guild_id: string;
  user_id: string;
  started_at: string;
  kb_answered_at: string | null;
  human_requested_at: string | null;
  case_number: number | null;
  agent_joined_at: string | null;
  first_agent_reply_at: string | null;
  closed_at: string | null;
  close_reason: string | null;
}

export interface CaseTables {
  cases: CasesTable;
  support_conversations: SupportConversationsTable;
  case_transcript: TranscriptTable;
  case_events: EventsTable;
  case_links: LinksTable;
}

export type SqlDialectName = 'sqlite' | 'postgres';
