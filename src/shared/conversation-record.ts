/*
 * What the support workflow records about each conversation for support analytics (`flexcord stats`), one row per
 * conversation, written as it happens. Pure types only: bundled into workflow code.
 */

/**
 * Milestones of one conversation (one episode of a support workflow: a new one starts after a close). Times are
 * milliseconds since the epoch, as the workflow saw them. Each write sends what is new; a milestone already stored
 * is kept (the first one wins), so retries and repeats change nothing.
 */
export interface ConversationRecord {
  /** `<workflow id>:<episode key>`. */
  conversationId: string;
  workflowId: string;
  guildId: string;
  userId: string;
  startedAt: number;
  /** The FAQ bot first answered with articles. */
  kbAnsweredAt?: number;
  /** The user asked for a person (a case opened). */
  humanRequestedAt?: number;
  caseNumber?: number;
  agentJoinedAt?: number;
  firstAgentReplyAt?: number;
  closedAt?: number;
  closeReason?: string;
}
