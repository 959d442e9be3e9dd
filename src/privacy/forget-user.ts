import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { forgetReporterSignal, REPORT_WORKFLOW_TYPE } from '../shared/report-messages';
import { conversationStateQuery, SUPPORT_WORKFLOW_TYPE, userCloseSignal } from '../shared/support-messages';
import { collectUserData, type PrivacyDeps, type WorkflowExecutionRef } from './user-data';

/** What `forgetUser` did, step by step, for the operator and the API caller. */
export interface ForgetReport {
  discordUserId: string;
  closedConversations: number;
  stoppedReports: number;
  /** Other users' reports that had this user as a duplicate's reporter and would have DMed them. */
  otherReportsUpdated: number;
  twilioConversationsDeleted: number;
  workflowExecutionsDeleted: number;
  casesDeleted: number;
  /** Staff actions by this user on other cases, now attributed to `discord:forgotten`. */
  staffActionsAnonymised: number;
  /** Steps that could not be done (e.g. Twilio without credentials): run again once fixed. */
  notDone: string[];
}

const TERMINATE_REASON = 'the user asked to be forgotten';
/** How long to wait for the server to carry out a deletion (it queues them) before calling it failed. */
const DELETION_WAIT_MS = 120_000;
/** gRPC's NOT_FOUND status code: the run was deleted already. */
const GRPC_NOT_FOUND = 5;

/**
 * Erases a Discord user: closes what is still running (a conversation ends as a close ends it, so Flex and the
 * case are closed properly), stops their open reports, keeps other reports from DMing them, then deletes their
 * Twilio conversations, their workflow executions (Temporal's DeleteWorkflowExecution) and their cases. Safe to
 * run again: what is gone is skipped. Store rows go last, since they point at the rest.
 */
export async function forgetUser(
  deps: PrivacyDeps & { namespace: string; closeTimeoutMs?: number },
  userId: string,
): Promise<ForgetReport> {
  const data = await collectUserData(deps, userId);
  const report: ForgetReport = {
    discordUserId: userId,
    closedConversations: 0,
    stoppedReports: 0,
    otherReportsUpdated: 0,
    twilioConversationsDeleted: 0,
    workflowExecutionsDeleted: 0,
    casesDeleted: 0,
    staffActionsAnonymised: 0,
    notDone: [],
  };
  const running = uniqueBy(
    data.workflows.filter((w) => w.status === 'RUNNING'),
    (w) => w.workflowId,
  );
  for (const w of running) {
    if (w.type === SUPPORT_WORKFLOW_TYPE) {
      if (await closeConversation(deps.client, w, deps.closeTimeoutMs ?? 60_000))
        report.closedConversations++;
    } else if (w.type === REPORT_WORKFLOW_TYPE) {
      if (await terminate(deps.client, w.workflowId)) report.stoppedReports++;
    }
  }

  // Originals of the user's duplicates DM every duplicate's reporter when they close.
  const own = new Set(data.cases.map((c) => c.number));
  const originals = data.cases.flatMap((c) =>
    c.links.filter((l) => l.direction === 'to' && !own.has(l.caseNumber)).map((l) => l.caseNumber),
  );
  for (const n of new Set(originals)) {
    const original = await deps.store.getCase(n);
    if (!original?.workflowId) continue;
    try {
      await deps.client.workflow
        .getHandle(original.workflowId)
        .signal(forgetReporterSignal, { reporterId: userId });
      report.otherReportsUpdated++;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  if (deps.twilio) {
    for (const sid of data.twilioConversations) {
      if ((await deps.twilio.deleteConversation(sid)) === 'deleted') report.twilioConversationsDeleted++;
    }
  } else if (data.twilioConversations.length > 0) {
    report.notDone.push(
      `${data.twilioConversations.length} Twilio conversation(s) not deleted: Twilio credentials are not set`,
    );
  }

  for (const w of data.workflows) {
    if (await deleteExecution(deps.client, deps.namespace, w)) report.workflowExecutionsDeleted++;
  }

  const forgotten = await deps.store.forgetReporter(userId);
  report.casesDeleted = forgotten.deletedCases.length;
  report.staffActionsAnonymised = forgotten.anonymisedEvents;
  return report;
}

/** The operator's summary, one line per step that did something. */
export function describeForget(r: ForgetReport): string[] {
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const lines = [
    r.closedConversations && `closed ${plural(r.closedConversations, 'running conversation')}`,
    r.stoppedReports && `stopped ${plural(r.stoppedReports, 'open report')}`,
    r.otherReportsUpdated &&
      `${plural(r.otherReportsUpdated, 'other report')} will not message them when ${r.otherReportsUpdated === 1 ? 'it closes' : 'they close'}`,
    r.twilioConversationsDeleted && `deleted ${plural(r.twilioConversationsDeleted, 'Twilio conversation')}`,
    r.workflowExecutionsDeleted && `deleted ${plural(r.workflowExecutionsDeleted, 'workflow execution')}`,
    r.casesDeleted && `deleted ${plural(r.casesDeleted, 'case')} (transcripts, events, notes, ratings)`,
    r.staffActionsAnonymised &&
      `attributed ${plural(r.staffActionsAnonymised, 'staff action')} on other cases to discord:forgotten`,
    ...r.notDone.map((n) => `NOT DONE: ${n}`),
  ].filter((l): l is string => typeof l === 'string' && l.length > 0);
  return lines.length > 0 ? lines : [`nothing stored about ${r.discordUserId}: nothing left to do`];
}

/** Ends a running conversation the way the user's Close button does, then stops its workflow. */
async function closeConversation(
  client: Client,
  w: WorkflowExecutionRef,
  timeoutMs: number,
): Promise<boolean> {
  const handle = client.workflow.getHandle(w.workflowId);
  try {
    const state = await handle.query(conversationStateQuery);
    let closed = false;
    if (state.phase !== 'closed') {
      await handle.signal(userCloseSignal, { eventId: `privacy-forget:${w.runId}` });
      const deadline = Date.now() + timeoutMs;
      while ((await handle.query(conversationStateQuery)).phase !== 'closed') {
        if (Date.now() > deadline) throw new Error(`${w.workflowId} did not close within ${timeoutMs} ms`);
        await sleep(250);
      }
      closed = true;
    }
    // Closed conversations wait for a rating; nobody is left to give one.
    await terminate(client, w.workflowId);
    return closed;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

async function terminate(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).terminate(TERMINATE_REASON);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Deletes one run and waits until Temporal no longer finds it (deletion is asynchronous on the server). */
async function deleteExecution(client: Client, namespace: string, w: WorkflowExecutionRef): Promise<boolean> {
  const execution = { workflowId: w.workflowId, runId: w.runId };
  try {
    await client.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: execution });
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) return false;
    throw err;
  }
  const handle = client.workflow.getHandle(w.workflowId, w.runId);
  const deadline = Date.now() + DELETION_WAIT_MS;
  while (Date.now() < deadline) {
    try {
      await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return true;
      throw err;
    }
    await sleep(200);
  }
  throw new Error(`${w.workflowId} (${w.runId}) is still there after deletion was asked for`);
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  return [...new Map(items.map((i) => [key(i), i])).values()];
}
