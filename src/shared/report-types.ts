/* The vocabulary of bug and feature reports, shared by the report workflow, its clients and the API. Pure code. */
import type { CasePriority, CaseStatus, CaseType, Reporter } from './case-types';
import type { Locale } from './i18n/locales';

export const REPORT_PHASES = ['open', 'triaged', 'resolved', 'declined'] as const;
export type ReportPhase = (typeof REPORT_PHASES)[number];
export type ReportType = Extract<CaseType, 'bug' | 'feature'>;
export const REPORT_TYPES: readonly ReportType[] = ['bug', 'feature'];

/** What the case store shows for each phase: a report is "in progress" once staff triaged it. */
export const STATUS_OF_PHASE: Record<ReportPhase, CaseStatus> = {
  open: 'open',
  triaged: 'in_progress',
  resolved: 'resolved',
  declined: 'closed',
};

export function isFinalPhase(phase: ReportPhase): boolean {
  return phase === 'resolved' || phase === 'declined';
}

export interface FileReportInput {
  /** The Discord interaction id of the modal submit (or an API request id): filing twice files once. */
  idempotencyKey: string;
  type: ReportType;
  guildId: string;
  reporter: Reporter;
  title: string;
  description: string;
  /** The modal's fields, by label. */
  fields: Record<string, string>;
  /** The language of the interaction that filed it (the reporter's); unset: English. */
  locale?: Locale;
  /** The server's preferred language, for staff reminders; unset: English. */
  guildLocale?: Locale;
}

/** Every staff action carries its own idempotency key, so a retried request applies once. */
export interface StaffAction {
  eventId: string;
  /** Who acted, e.g. `discord:<user id>`, `api`, `flex:<agent identity>`: goes into the case's event log. */
  actor: string;
}

export interface TriageAction extends StaffAction {
  priority?: CasePriority;
  note?: string;
}

export interface CloseReportAction extends StaffAction {
  resolution: 'resolved' | 'declined';
  /** Sent to the reporter. */
  note: string;
}

export interface AssignAction extends StaffAction {
  agent: string;
}

export interface NoteAction extends StaffAction {
  note: string;
}

export interface MarkDuplicateAction extends StaffAction {
  originalCaseNumber: number;
  /** The original's workflow, when it has one: it then tells this reporter too when it is resolved. */
  originalWorkflowId?: string;
  /** The original's server: the workflow refuses an original from another server (absent in old actions). */
  originalGuildId?: string;
  note?: string;
}

/** Sent by a duplicate's workflow to the original's, so the original can notify every reporter at the end. */
export interface DuplicateLinkedEvent {
  eventId: string;
  caseNumber: number;
  reporterId: string;
  /** The duplicate's server: the original ignores a duplicate from another server (absent in old signals). */
  guildId?: string;
  /** The duplicate's reporter's language, for the news when the original closes (absent: English). */
  locale?: Locale;
}

export interface StaffActionResult {
  caseNumber: number;
  phase: ReportPhase;
  /**
   * Only in actions recorded before DMs were sent apart: whether the reporter got the DM. Now the action is answered
   * once stored and the case's events record `reporter_notified` or `reporter_unreachable` when the DM is tried.
   */
  reporterNotified?: boolean;
}

export interface ReportState {
  caseNumber?: number;
  type: ReportType;
  phase: ReportPhase;
  guildId: string;
  reporter: Reporter;
  title: string;
  priority: CasePriority;
  assignedAgent?: string;
  duplicateOf?: number;
  duplicates: { caseNumber: number; reporterId: string; locale?: Locale }[];
  /** The reporter's language (their DMs), and the server's (staff reminders); absent in older reports: English. */
  locale?: Locale;
  guildLocale?: Locale;
  resolutionNote?: string;
}

/** How long staff may leave a report alone before they are reminded, and where. Filled from config at filing. */
export interface ReportFollowUp {
  /** An untriaged report is brought up after this long, then again at the same interval until it is triaged. */
  triageReminderMs: number;
  /** A triaged report with no staff action for this long is brought up, then again at the same interval. */
  staleReminderMs: number;
  /** The staff-only guild channel reminders are posted in. */
  staffChannel: string;
}

/** The current wait for staff: since when, and how many reminders it has produced so far. */
export interface FollowUpClock {
  /** Workflow time (ms since the epoch) of filing, triage, or the last staff action on a triaged report. */
  since: number;
  reminders: number;
}

/**
 * A DM the report workflow still owes someone, sent apart from the staff action that caused it (the action is
 * answered once it is stored; Discord may be down for hours). Carried across continue-as-new until sent.
 */
export type ReportDm =
  /** The reporter hears of triage, a close or a duplicate link; the case's event log records whether it arrived. */
  | { kind: 'reporter'; eventId: string; text: string }
  /** The reporters of the duplicates hear that the original was closed; sent in batches, from `next` on. */
  | {
      kind: 'duplicates';
      eventId: string;
      resolution: 'resolved' | 'declined';
      note: string;
      targets: { caseNumber: number; reporterId: string; locale?: Locale }[];
      next: number;
    };

export interface ReportWorkflowInput {
  report: FileReportInput;
  /** Absent: nobody is reminded (reports filed before follow-up existed). */
  followUp?: ReportFollowUp;
  /** Continue as new after this many history events (default 5,000); tests set a small one to see several runs. */
  continueAsNewAfterEvents?: number;
  /** Set by continue-as-new: the state so far and the staff actions already applied. */
  carried?: {
    state: ReportState;
    applied: [string, StaffActionResult][];
    clock?: FollowUpClock;
    /** DMs not sent yet (absent in runs from before DMs were sent apart from staff actions). */
    dms?: ReportDm[];
  };
}

export interface ReportOutcome {
  caseNumber: number;
  phase: ReportPhase;
  duplicateOf?: number;
}

/** One workflow per filed report, keyed by the filing's idempotency key. */
export function reportWorkflowId(idempotencyKey: string): string {
  return `report-${idempotencyKey}`;
}
