import { type Client } from '@temporalio/client';
import { fileReport } from '../cases/report-client';
import type { ReportFollowUp } from '../shared/report-types';
import { SUPPORT_WORKFLOW_TYPE } from '../shared/support-messages';
import {
  openSupportConversation,
  sendUserAction,
  sendUserMessage,
  sendUserMessageChange,
} from '../temporal/support-client';
import { type Reports, type SupportConversations } from './bot-deps';

/** SupportConversations on Temporal: signal-with-start for messages, update-with-start for /helpme. */
export function temporalConversations(client: Client, taskQueue: string): SupportConversations {
  return {
    open: (input) => openSupportConversation(client, { taskQueue, input }),
    async userMessage(input, event) {
      await sendUserMessage(client, { taskQueue, input, event });
    },
    action: (workflowId, action) => sendUserAction(client, { workflowId, ...action }),
    messageChanged: (workflowId, change) => sendUserMessageChange(client, { workflowId, change }),
    async runningConversationGuild(userId) {
      // Visibility is eventually consistent; a conversation started a moment ago may not show yet, which only means
      // the user is asked to run /helpme in the server.
      const query = `WorkflowType = '${SUPPORT_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND DiscordUserId = '${userId.replace(/\D/g, '')}'`;
      for await (const execution of client.workflow.list({ query, pageSize: 1 })) {
        const guild = execution.searchAttributes?.GuildId;
        if (Array.isArray(guild) && typeof guild[0] === 'string') return guild[0];
        const match = /^support-(\d+)-\d+$/.exec(execution.workflowId);
        if (match) return match[1];
      }
      return undefined;
    },
  };
}

export function temporalReports(client: Client, taskQueue: string, followUp?: ReportFollowUp): Reports {
  return { file: (input) => fileReport(client, { taskQueue, input, followUp }) };
}
