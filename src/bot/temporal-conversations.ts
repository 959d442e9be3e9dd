import { type Client } from '@temporalio/client';
import { fileReport } from '../cases/report-client';
import type { ReportFollowUp } from '../shared/report-types';
import { GuildIdKey, SupportPhaseKey } from '../shared/search-attributes';
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
    async runningConversationGuilds(userId) {
      // Visibility is eventually consistent; a conversation started a moment ago may not show yet, which only means
      // the user is asked to run /helpme in the server (or is not offered that server).
      const query = `WorkflowType = '${SUPPORT_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND DiscordUserId = '${userId.replace(/\D/g, '')}'`;
      const open: string[] = [];
      const closed: string[] = [];
      for await (const execution of client.workflow.list({ query, pageSize: 20 })) {
        const guildId =
          execution.typedSearchAttributes.get(GuildIdKey) ??
          /^support-(\d+)-\d+$/.exec(execution.workflowId)?.[1];
        if (!guildId || open.includes(guildId) || closed.includes(guildId)) continue;
        (execution.typedSearchAttributes.get(SupportPhaseKey) === 'closed' ? closed : open).push(guildId);
      }
      return open.length > 0 ? open : closed;
    },
  };
}

export function temporalReports(client: Client, taskQueue: string, followUp?: ReportFollowUp): Reports {
  return { file: (input) => fileReport(client, { taskQueue, input, followUp }) };
}
