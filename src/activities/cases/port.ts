import type {
  CaseChanges,
  CaseEventInput,
  CaseStatus,
  CaseSummary,
  CaseType,
  NewCase,
  StaffNote,
  TranscriptEntry,
} from '../../shared/case-types';

export interface CaseDetail extends CaseSummary {
  description: string;
  fields: Record<string, string>;
  transcript: TranscriptEntry[];
  events: (CaseEventInput & { at: string })[];
  /** Staff notes (the events of action `note`), oldest first: for staff and agents only, never the reporter. */
  notes: StaffNote[];
  closeReason?: string;
  rating?: number;
  twilio: { conversationSid?: string; interactionSid?: string; channelSid?: string; taskSid?: string };
  /** Links to and from other cases, e.g. this report is a duplicate of #1042 (`to`), or #1050 duplicates it (`from`). */
  links: CaseLink[];
  closedAt?: string;
}

export type CaseLinkKind = 'duplicate_of';

export interface CaseLink {
  kind: CaseLinkKind;
  caseNumber: number;
  direction: 'to' | 'from';
}

export interface CaseFilter {
  status?: CaseStatus;
  type?: CaseType;
  guildId?: string;
  /** Only cases of these servers (a caller's guild scope); an empty list matches nothing. */
  guildIds?: readonly string[];
  reporterId?: string;
  limit?: number;
}

/** The durable case store (SQLite by default, PostgreSQL with DATABASE_URL). Every write is idempotent. */
export interface CaseStore {
  openCase(input: NewCase): Promise<{ caseNumber: number }>;
  appendTranscript(caseNumber: number, entries: TranscriptEntry[]): Promise<void>;
  updateCase(caseNumber: number, changes: CaseChanges, event: CaseEventInput): Promise<void>;
  getCase(caseNumber: number): Promise<CaseDetail | undefined>;
  listCases(filter: CaseFilter): Promise<CaseSummary[]>;
  /**
   * Records `caseNumber` → `linkedCaseNumber` (e.g. duplicate_of) with its event; linking twice changes nothing.
   * Throws CrossGuildLinkError for cases of two servers.
   */
  linkCases(
    input: { caseNumber: number; linkedCaseNumber: number; kind: CaseLinkKind },
    event: CaseEventInput,
  ): Promise<void>;
  /** The newest staff notes on a reporter's cases in one guild, newest first (what a Flex agent should know). */
  latestStaffNotes(input: { guildId: string; reporterId: string; limit: number }): Promise<StaffNote[]>;
}
