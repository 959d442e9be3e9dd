import { type Logger } from 'pino';
import { type CaseOperations } from '../cases/report-client';
import { type Config } from '../config';
import { type Moderation } from '../moderation';
import { type FlexcordMetrics } from '../observability/metrics';
import { type ConversationCursor } from './catch-up';
import type { FileReportInput } from '../shared/report-types';
import type {
  OpenConversationResult,
  StartSupportInput,
  SupportTimings,
  UserMessageEvent,
} from '../shared/support-types';
import { type UserActionSignal, type UserMessageChange } from '../temporal/support-client';

/** The bot's way into support conversations (Temporal in production, a recorder in routing tests). */
export interface SupportConversations {
  open(input: StartSupportInput): Promise<OpenConversationResult>;
  userMessage(input: StartSupportInput, event: UserMessageEvent): Promise<void>;
  /** Throws ConversationNotFoundError when the user has no running conversation. */
  action(workflowId: string, action: UserActionSignal): Promise<void>;
  /**
   * The guilds of the user's running conversations, for DMs (which carry no guild): those still open first, or
   * else those closed and waiting for a rating.
   */
  runningConversationGuilds(userId: string): Promise<string[]>;
  /**
   * The user edited or deleted a message in their support DM or thread; throws ConversationNotFoundError when no
   * conversation is running. Optional: routing tests that do not need it leave it out.
   */
  messageChanged?(workflowId: string, change: UserMessageChange): Promise<void>;
  /**
   * Every running conversation's channel and the newest message of its user it has seen, for the catch-up after a
   * new gateway session. Optional: routing tests that do not need it leave it out.
   */
  openConversationCursors?(): Promise<ConversationCursor[]>;
}

export interface Reports {
  file(input: FileReportInput): Promise<{ caseNumber: number }>;
}

export interface BotDeps {
  logger: Logger;
  discord: Config['discord'];
  timings: SupportTimings;
  conversations: SupportConversations;
  reports: Reports;
  cases: Pick<CaseOperations, 'listForUser' | 'listForGuild' | 'show' | 'close' | 'triage' | 'note'>;
  /** Blocks and rate limits; without it nobody is stopped (routing tests that do not need it). */
  moderation?: Moderation;
  /** Where the bot counts what it does (live messages held for the catch-up); absent without metrics. */
  metrics?: Pick<FlexcordMetrics, 'catchUpWaits'>;
}
