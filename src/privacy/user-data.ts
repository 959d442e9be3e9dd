import { type Client } from '@temporalio/client';
import { z } from 'zod';
import type { CaseDetail } from '../activities/cases/port';
import { type SqlCaseStore } from '../cases/sql-case-store';
import { type TwilioCustomerData } from './twilio-customer-data';

/*
 * What flexcord keeps about one Discord user, wherever it is: the case store (their cases: transcripts, events,
 * staff notes, ratings, reports), Temporal (their conversations' and reports' workflow executions) and Twilio
 * (their Flex conversations).
 */

/** A Discord user id; checked before it reaches a visibility query. */
export const discordUserId = z.string().regex(/^\d{5,25}$/, 'a Discord user id (digits)');

export interface PrivacyDeps {
  client: Client;
  store: SqlCaseStore;
  /** Unset when Twilio credentials are not configured: then Twilio is neither read nor changed, and it is said. */
  twilio?: TwilioCustomerData;
}

export interface WorkflowExecutionRef {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  startTime?: string;
  closeTime?: string;
}

export interface UserData {
  cases: CaseDetail[];
  workflows: WorkflowExecutionRef[];
  twilioConversations: string[];
}

export interface UserExport extends UserData {
  discordUserId: string;
  exportedAt: string;
  /** What could not be read, e.g. Twilio without credentials. */
  notIncluded: string[];
}

export async function collectUserData(deps: PrivacyDeps, userId: string): Promise<UserData> {
  discordUserId.parse(userId);
  const cases: CaseDetail[] = [];
  for await (const c of deps.store.exportCases({ reporterId: userId })) cases.push(c);
  const workflowIds = cases.flatMap((c) => (c.workflowId ? [c.workflowId] : []));
  const workflows = await executionsOf(deps.client, userId, workflowIds);
  const twilioConversations = new Set(cases.flatMap((c) => c.twilio.conversationSid ?? []));
  for (const sid of (await deps.twilio?.conversationsOf(userId)) ?? []) twilioConversations.add(sid);
  return { cases, workflows, twilioConversations: [...twilioConversations] };
}

export async function exportUser(deps: PrivacyDeps, userId: string): Promise<UserExport> {
  const data = await collectUserData(deps, userId);
  return {
    discordUserId: userId,
    exportedAt: new Date().toISOString(),
    ...data,
    notIncluded: deps.twilio ? [] : ['Twilio conversations not found through Twilio: no Twilio credentials'],
  };
}

/**
 * Every run of the user's workflows: support conversations carry the `DiscordUserId` search attribute, reports
 * are found by the workflow ids their cases name. Runs of a workflow id are listed separately (continue-as-new).
 */
async function executionsOf(
  client: Client,
  userId: string,
  workflowIds: string[],
): Promise<WorkflowExecutionRef[]> {
  const queries = [
    `DiscordUserId = '${userId}'`,
    ...[...new Set(workflowIds)].map((id) => `WorkflowId = '${id.replace(/'/g, "\\'")}'`),
  ];
  const found = new Map<string, WorkflowExecutionRef>();
  for (const query of queries) {
    for await (const w of client.workflow.list({ query })) {
      found.set(`${w.workflowId}/${w.runId}`, {
        workflowId: w.workflowId,
        runId: w.runId,
        type: w.type,
        status: w.status.name,
        startTime: w.startTime.toISOString(),
        ...(w.closeTime ? { closeTime: w.closeTime.toISOString() } : {}),
      });
    }
  }
  return [...found.values()];
}
