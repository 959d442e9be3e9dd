import { ApplicationFailure } from '@temporalio/common';
import type {
  CaseChanges,
  CaseEventInput,
  NewCase,
  StaffNote,
  TranscriptEntry,
} from '../../shared/case-types';
import { CaseNotFoundError, CrossGuildLinkError } from '../../cases/errors';
import type { CaseLinkKind, CaseStore } from './port';

export interface CaseActivityDeps {
  caseStore: CaseStore & { getTranscript?(caseNumber: number): Promise<TranscriptEntry[]> };
}

/** The failure type workflows see when a case number is unknown; never retried, since retrying cannot help. */
export const CASE_NOT_FOUND = 'CaseNotFound';
/** Linking cases of two servers: refused for good, a retry would be refused again. */
export const CROSS_GUILD_LINK = 'CrossGuildLink';

/**
 * Case-store activities. Every one is safe to retry: the store's writes are idempotent by key, so a retry after
 * a lost response changes nothing. Database errors (connection lost, lock timeout) stay retryable.
 */
export function createCaseActivities(deps: CaseActivityDeps) {
  const store = deps.caseStore;
  return {
    async openCase(input: NewCase): Promise<{ caseNumber: number }> {
      return store.openCase(input);
    },
    async appendTranscript(input: { caseNumber: number; entries: TranscriptEntry[] }): Promise<void> {
      await permanentIfMissing(() => store.appendTranscript(input.caseNumber, input.entries));
    },
    async updateCase(input: {
      caseNumber: number;
      changes: CaseChanges;
      event: CaseEventInput;
    }): Promise<void> {
      await permanentIfMissing(() => store.updateCase(input.caseNumber, input.changes, input.event));
    },
    async getCaseTranscript(input: { caseNumber: number }): Promise<TranscriptEntry[]> {
      return permanentIfMissing(async () => {
        if (store.getTranscript) return store.getTranscript(input.caseNumber);
        const found = await store.getCase(input.caseNumber);
        if (!found) throw new CaseNotFoundError(input.caseNumber);
        return found.transcript;
      });
    },
    /** The newest private staff notes on the user's cases in the guild, for the Flex agent's task. */
    async latestStaffNotes(input: {
      guildId: string;
      reporterId: string;
      limit: number;
    }): Promise<StaffNote[]> {
      return store.latestStaffNotes(input);
    },
    async linkCases(input: {
      caseNumber: number;
      linkedCaseNumber: number;
      kind: CaseLinkKind;
      event: CaseEventInput;
    }): Promise<void> {
      const { event, ...link } = input;
      await permanentIfMissing(() => store.linkCases(link, event));
    },
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;

async function permanentIfMissing<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CaseNotFoundError) {
      throw ApplicationFailure.create({ type: CASE_NOT_FOUND, message: err.message, nonRetryable: true });
    }
    if (err instanceof CrossGuildLinkError) {
      throw ApplicationFailure.create({ type: CROSS_GUILD_LINK, message: err.message, nonRetryable: true });
    }
    throw err;
  }
}
