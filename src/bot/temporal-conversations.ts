import { type Client } from '@temporalio/client';
import { fileReport } from '../cases/report-client';
import type { ReportFollowUp } from '../shared/report-types';
import { GuildIdKey, SupportPhaseKey } from '../shared/search-attributes';
import { SUPPORT_WORKFLOW_TYPE } from '../shared/support-messages';
import {
  ConversationNotFoundError,
  getConversationState,
  openSupportConversation,
  sendUserAction,
  sendUserMessage,
  sendUserMessageChange,
} from '../temporal/support-client';
import { type Reports, type SupportConversations } from './bot-deps';
import { type ConversationCursor } from './catch-up';

/** Conversations asked for their state at once during a catch-up. */
const QUERY_BATCH = 8;
/** A query the worker does not answer by then fails the catch-up, which is tried again later. */
const QUERY_DEADLINE_MS = 10_000;

/** SupportConversations on Temporal: signal-with-start for messages, update-with-start for /helpme. */
export function temporalConversations(client: Client, taskQueue: string): SupportConversations {
  return {
    open: (input) => openSupportConversation(client, { taskQueue, input }),
    async userMessage(input, event) {
      await sendUserMessage(client, { taskQueue, input, event });
    },
    action: (workflowId, action) => sendUserAction(client, { workflowId, ...action }),
    messageChanged: (workflowId, change) => sendUserMessageChange(client, { workflowId, change }),
    async openConversationCursors() {
      const ids: string[] = [];
      // This deployment's conversations only: another one sharing the namespace has its own bot and worker.
      const query = `WorkflowType = '${SUPPORT_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue.replace(/'/g, '')}'`;
      for await (const execution of client.workflow.list({ query, pageSize: 200 }))
        ids.push(execution.workflowId);
      // Each conversation says where it lives and what it saw; a few queries at a time, to spare the worker.
      const cursors: ConversationCursor[] = [];
      for (let i = 0; i < ids.length; i += QUERY_BATCH) {
        const states = await Promise.all(
          ids.slice(i, i + QUERY_BATCH).map((id) =>
            client
              .withDeadline(Date.now() + QUERY_DEADLINE_MS, () => getConversationState(client, id))
              .catch((err: unknown) => {
                // Ended meanwhile: nothing to catch up on.
                if (err instanceof ConversationNotFoundError) return undefined;
                throw err;
              }),
          ),
        );
        for (const state of states) {
          if (!state?.channel || !state.discordCursor) continue;
          cursors.push({
            guildId: state.user.guildId,
            userId: state.user.userId,
            channelId: state.channel.channelId,
            discordCursor: state.discordCursor,
          });
        }
      }
      return cursors;
    },
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
