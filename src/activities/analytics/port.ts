import type { ConversationRecord } from '../../shared/conversation-record';

/** Where the support workflow records each conversation's milestones (the case database). Idempotent. */
export interface ConversationLedger {
  record(record: ConversationRecord): Promise<void>;
}
