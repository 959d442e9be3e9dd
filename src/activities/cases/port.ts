import type {
  CaseChanges,
  CaseEventInput,
  CaseStatus,
  CaseSummary,
  CaseType,
  NewCase,
  TranscriptEntry,
} from '../../shared/case-types';

export interface CaseDetail extends CaseSummary {
  description: string;
  fields: Record<string, string>;
  transcript: TranscriptEntry[];
  events: (CaseEventInput & { at: string })[];
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
}
