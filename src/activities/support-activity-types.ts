import type { ConversationRecord } from '../shared/conversation-record';
import type { CaseChanges, CaseEventInput, NewCase, StaffNote, TranscriptEntry } from '../shared/case-types';
import type { ArticleHit, DiscordChannelRef, OutboundDiscordMessage } from '../shared/support-types';
import type { DiscordPort } from './discord/port';
import type { Locale } from '../shared/i18n/locales';
import type { CustomerMediaPort, RelayedAttachment } from './media/port';
import type { FlexRevisionsPort } from './revisions/flex-revisions';
import type {
  FlexConversationRef,
  FlexHandoffRef,
  FlexPort,
  FlexTaskRef,
  FlexUpdates,
  FlexWaitEstimate,
} from './twilio/port';

/** The input of a port method: activities take exactly what their port takes, defined once, in the port. */
type InputOf<Port, Method extends keyof Port> = Port[Method] extends (input: infer I) => unknown ? I : never;
type FlexInput<Method extends keyof FlexPort> = InputOf<FlexPort, Method>;

/**
 * Exactly the activities the support conversation workflow calls, by name. The workflow proxies this interface,
 * so it compiles before the adapters exist; `createActivities` must satisfy it once the Discord, Flex and case
 * activities land. Errors follow one rule: permanent failures are non-retryable `ApplicationFailure`s with a
 * type from SUPPORT_FAILURE_TYPES (src/shared/support-failures.ts), everything else is retried (honouring Retry-After via `nextRetryDelay`).
 */
export interface SupportActivities {
  // Discord
  openSupportChannel(input: InputOf<DiscordPort, 'openSupportChannel'>): Promise<DiscordChannelRef>;
  /** `parts`: how many parts the whole message has (when `message.part` asked for one of them). */
  editDiscordMessage(input: InputOf<DiscordPort, 'editMessage'>): Promise<{ messageIds: string[] }>;
  deleteDiscordMessages(input: InputOf<DiscordPort, 'deleteMessages'>): Promise<void>;
  sendToDiscord(message: OutboundDiscordMessage): Promise<{ messageIds: string[]; parts?: number }>;

  // Twilio Flex
  ensureFlexConversation(input: FlexInput<'ensureConversation'>): Promise<FlexConversationRef>;
  postCustomerMessage(
    input: FlexInput<'postCustomerMessage'>,
  ): Promise<{ messageSid: string; index?: number }>;
  handToFlex(input: FlexInput<'handToFlex'>): Promise<FlexHandoffRef>;
  escalateFlexTask(input: FlexInput<'escalate'>): Promise<void>;
  /** What the webhooks may have missed: agent messages after the cursor, agents present, conversation state. */
  fetchFlexUpdates(input: FlexInput<'fetchUpdates'>): Promise<FlexUpdates>;
  /** The tasks of the handoff's interaction channel, newest first: is another one live (a transfer)? */
  listFlexTasks(input: FlexInput<'handoffTasks'>): Promise<FlexTaskRef[]>;
  /** How long the user may still wait for an agent, from live TaskRouter figures (asked when the SLA fires). */
  estimateAgentWait(input: FlexInput<'estimateWait'>): Promise<FlexWaitEstimate>;
  closeFlexConversation(input: FlexInput<'close'>): Promise<void>;
  /** A user's edit or deletion in Discord, made to the Conversations messages their message became. */
  editFlexMessage(input: InputOf<FlexRevisionsPort, 'editCustomerMessage'>): Promise<void>;
  removeFlexMessages(input: InputOf<FlexRevisionsPort, 'removeCustomerMessages'>): Promise<void>;
  /** A customer's Discord file to the Flex conversation as media (one message per file), or why it was refused. */
  relayCustomerAttachment(input: InputOf<CustomerMediaPort, 'relay'>): Promise<RelayedAttachment>;

  // Case store
  openCase(input: NewCase): Promise<{ caseNumber: number }>;
  appendTranscript(input: { caseNumber: number; entries: TranscriptEntry[] }): Promise<void>;
  updateCase(input: { caseNumber: number; changes: CaseChanges; event: CaseEventInput }): Promise<void>;
  getCaseTranscript(input: { caseNumber: number }): Promise<TranscriptEntry[]>;
  /** The newest private staff notes on the user's cases in this guild (newest first), for the Flex task. */
  latestStaffNotes(input: { guildId: string; reporterId: string; limit: number }): Promise<StaffNote[]>;

  // Knowledge base
  /** Articles in `locale` (the conversation's language) first; unset: English. */
  searchKnowledgeBase(input: { query: string; limit: number; locale?: Locale }): Promise<ArticleHit[]>;

  // Support analytics
  /** What is new about this conversation (its milestones); what was stored before is kept. */
  recordConversation(input: ConversationRecord): Promise<void>;
}
