import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { SUPPORT_FAILURE_TYPES } from '../../shared/support-failures';
import type { ConversationRecord } from '../../shared/conversation-record';
import { type ConversationLedger } from './port';

const time = z.number().int().nonnegative().optional();
const recordSchema = z.object({
  conversationId: z.string().min(1).max(300),
  workflowId: z.string().min(1).max(250),
  guildId: z.string().min(1).max(40),
  userId: z.string().min(1).max(40),
  startedAt: z.number().int().nonnegative(),
  kbAnsweredAt: time,
  humanRequestedAt: time,
  caseNumber: z.number().int().positive().optional(),
  agentJoinedAt: time,
  firstAgentReplyAt: time,
  closedAt: time,
  closeReason: z.string().max(100).optional(),
});

export interface AnalyticsDeps {
  conversationLedger: ConversationLedger;
}

export function createAnalyticsActivities(deps: AnalyticsDeps) {
  return {
    /** Stores what is new about a conversation; what was stored before is kept. */
    async recordConversation(input: ConversationRecord): Promise<void> {
      const parsed = recordSchema.safeParse(input);
      if (!parsed.success) {
        throw ApplicationFailure.nonRetryable(
          `bad conversation record: ${parsed.error.message}`,
          SUPPORT_FAILURE_TYPES.badRequest,
        );
      }
      await deps.conversationLedger.record(parsed.data);
    },
  };
}
