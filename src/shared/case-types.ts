/* Case vocabulary shared by workflows, activities, the case store, the API and the bot. Pure types only. */
import type { ArticleHit, Attachment, CloseReason } from './support-types';

export const CASE_TYPES = ['support', 'bug', 'feature'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_STATUSES = ['open', 'waiting_for_agent', 'in_progress', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];

export interface Reporter {
  discordId: string;
  /** The name at the time of reporting. */
  name: string;
}

export interface TranscriptEntry {
  /** Idempotency key: Discord message id, Twilio MessageSid, or a workflow-made id for bot lines. */
  entryId: string;
  direction: 'inbound' | 'outbound';
  authorKind: 'user' | 'bot' | 'agent' | 'system';
  author: string;
  text: string;
  attachments: Attachment[];
  at: string;
  /**
   * Set on a line that records a later change to an earlier one (the author edited or deleted their message):
   * the transcript is append-only, so what was said first stays, marked by this line.
   */
  revises?: { entryId: string; kind: 'edited' | 'deleted' };
}

export interface NewCase {
  /** Makes `openCase` idempotent: the same key returns the same case. */
  idempotencyKey: string;
  type: CaseType;
  guildId: string;
  reporter: Reporter;
  title: string;
  description: string;
  /** Form fields from a /bug or /new_feature modal. */
  fields?: Record<string, string>;
  suggestedArticles?: ArticleHit[];
  transcript?: TranscriptEntry[];
  priority?: CasePriority;
  /** The workflow that follows this case, so staff actions can reach it. */
  workflowId?: string;
}

export interface CaseEventInput {
  /** Idempotency key for the event line. */
  eventId: string;
  actor: string;
  action: string;
  detail?: string;
}

export interface CaseChanges {
  status?: CaseStatus;
  priority?: CasePriority;
  assignedAgent?: string;
  twilioConversationSid?: string;
  twilioInteractionSid?: string;
  twilioChannelSid?: string;
  twilioTaskSid?: string;
  closeReason?: CloseReason | string;
  rating?: number;
}

/** The event action of a staff note: private to staff, never sent to the reporter. */
export const STAFF_NOTE_ACTION = 'note';

/** A private staff note on a case, as staff and the Flex agent see it. */
export interface StaffNote {
  caseNumber: number;
  /** Who wrote it: `discord:<user id>`, `api:<actor>`, `cli:<user>`, `flex:<agent>`. */
  author: string;
  text: string;
  at: string;
}

export interface CaseSummary {
  number: number;
  type: CaseType;
  status: CaseStatus;
  priority: CasePriority;
  guildId: string;
  reporter: Reporter;
  title: string;
  assignedAgent?: string;
  createdAt: string;
  updatedAt: string;
  workflowId?: string;
}
