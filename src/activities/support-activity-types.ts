import type { CaseChanges, CaseEventInput, NewCase, TranscriptEntry } from '../shared/case-types';
import type {
  ArticleHit,
  Attachment,
  DiscordChannelRef,
  DiscordUserRef,
  OutboundDiscordMessage,
} from '../shared/support-types';
import type { FlexConversationRef, FlexHandoffRef, FlexUpdates } from './twilio/port';

/**
 * Exactly the activities the support conversation workflow calls, by name. The workflow proxies this interface,
 * so it compiles before the adapters exist; `createActivities` must satisfy it once the Discord, Flex and case
 * activities land. Errors follow one rule: permanent failures are non-retryable `ApplicationFailure`s with a
 * type from SUPPORT_FAILURE_TYPES (src/shared/support-failures.ts), everything else is retried (honouring Retry-After via `nextRetryDelay`).
 */
export interface SupportActivities {
  // Discord
  openSupportChannel(input: { user: DiscordUserRef; preferThread: boolean }): Promise<DiscordChannelRef>;
  sendToDiscord(message: OutboundDiscordMessage): Promise<{ messageIds: string[] }>;

  // Twilio Flex
  ensureFlexConversation(input: {
    workflowId: string;
    user: DiscordUserRef;
    channel: DiscordChannelRef;
    caseNumber: number;
  }): Promise<FlexConversationRef>;
  postCustomerMessage(input: {
    conversation: FlexConversationRef;
    text: string;
    attachments: Attachment[];
    dedupeKey: string;
  }): Promise<{ messageSid: string }>;
  handToFlex(input: {
    conversation: FlexConversationRef;
    workflowId: string;
    caseNumber: number;
    taskAttributes: Record<string, unknown>;
  }): Promise<FlexHandoffRef>;
  escalateFlexTask(input: { handoff: FlexHandoffRef; priority: number }): Promise<void>;
  /** What the webhooks may have missed: agent messages after the cursor, agents present, conversation state. */
  fetchFlexUpdates(input: {
    conversation: FlexConversationRef;
    afterMessageIndex?: number;
  }): Promise<FlexUpdates>;
  closeFlexConversation(input: {
    conversation: FlexConversationRef;
    handoff?: FlexHandoffRef;
  }): Promise<void>;

  // Case store
  openCase(input: NewCase): Promise<{ caseNumber: number }>;
  appendTranscript(input: { caseNumber: number; entries: TranscriptEntry[] }): Promise<void>;
  updateCase(input: { caseNumber: number; changes: CaseChanges; event: CaseEventInput }): Promise<void>;
  getCaseTranscript(input: { caseNumber: number }): Promise<TranscriptEntry[]>;

  // Knowledge base
  searchKnowledgeBase(input: { query: string; limit: number }): Promise<ArticleHit[]>;
}
