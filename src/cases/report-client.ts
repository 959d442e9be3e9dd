import { randomUUID } from 'node:crypto';
import { type Client, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/common';
import type { CaseDetail, CaseFilter, CaseStore } from '../activities/cases/port';
import type { CasePriority, CaseSummary } from '../shared/case-types';
import {
  addNoteUpdate,
  assignUpdate,
  closeReportUpdate,
  fileReportUpdate,
  markDuplicateUpdate,
  REPORT_WORKFLOW_TYPE,
  triageUpdate,
} from '../shared/report-messages';
import type { Config } from '../config';
import {
  type FileReportInput,
  type ReportFollowUp,
  REPORT_TYPES,
  reportWorkflowId,
  type ReportOutcome,
  type ReportType,
  type StaffActionResult,
} from '../shared/report-types';
import type { reportWorkflow } from '../workflows/reports/report-workflow';
import { CaseNotFoundError, CrossGuildLinkError } from './errors';
import { describeScope, type GuildScope, inScope } from './guild-scope';
import { fileReportInputSchema } from './report-input';

/**
 * How the bot, the REST API and the CLI work with cases.
 *
 * Reads (list, show) go straight to the store: they change nothing, and staff expect them to work while the worker
 * is down. Every change to a bug or feature report goes through its workflow, which is what tells the reporter;
 * record-keeping on cases without a running workflow (a note on a support case or on a report already closed) is
 * written to the store directly, with the same idempotent event ids.
 */

const HOUR_MS = 60 * 60 * 1000;

/** The follow-up settings every new report workflow gets, from config. */
export function reportFollowUp(config: Pick<Config, 'reports' | 'discord'>): ReportFollowUp {
  return {
    triageReminderMs: Math.round(config.reports.triageReminderHours * HOUR_MS),
    staleReminderMs: Math.round(config.reports.staleReminderDays * 24 * HOUR_MS),
    staffChannel: config.discord.channels.staff,
  };
}

/**
 * Files a bug report or feature request and answers with its case number. Filing the same key twice files once.
 * Waits until the worker has stored the case: give the client call a deadline if the caller has one.
 */
export async function fileReport(
  client: Client,
  request: { taskQueue: string; input: FileReportInput; followUp?: ReportFollowUp },
): Promise<{ caseNumber: number; workflowId: string }> {
  // Throws a ZodError naming the bad field; the bot turns it into a reply.
  const input = fileReportInputSchema.parse(request.input);
  const workflowId = reportWorkflowId(input.idempotencyKey);
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof reportWorkflow>(REPORT_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: request.taskQueue,
    args: [{ report: input, ...(request.followUp ? { followUp: request.followUp } : {}) }],
    // A retry while the report is open reaches the same workflow; one after it ended must not file it again.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  try {
    const { caseNumber } = await client.workflow.executeUpdateWithStart(fileReportUpdate, {
      startWorkflowOperation,
    });
    return { caseNumber, workflowId };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const outcome: ReportOutcome = await client.workflow
      .getHandle<typeof reportWorkflow>(workflowId)
      .result();
    return { caseNumber: outcome.caseNumber, workflowId };
  }
}

export type CaseOperationErrorCode = 'not_found' | 'conflict' | 'invalid';

/** A staff operation that cannot be done; `code` maps to 404, 409 and 400 in the API. */
export class CaseOperationError extends Error {
  override name = 'CaseOperationError';
  constructor(
    readonly code: CaseOperationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface StaffContext {
  /** Who acts, for the case's event log: `discord:<user id>`, `api`, `cli:<user>`. */
  actor: string;
  /** The servers whose cases this caller may change; a case of another server reads as not found. */
  scope: GuildScope;
  /** Makes the operation idempotent (a Discord interaction id, an Idempotency-Key header); random when absent. */
  eventId?: string;
}

export interface OperationResult {
  caseNumber: number;
  /** The report's phase after the action, for reports; absent when the store was written directly. */
  phase?: StaffActionResult['phase'];
  reporterNotified?: boolean;
}

export interface CaseOperations {
  /** Cases matching `filter` within `scope` (a `guildId` outside the scope matches nothing). */
  list(filter: CaseFilter, scope: GuildScope): Promise<CaseSummary[]>;
  listForUser(guildId: string, userId: string): Promise<CaseSummary[]>;
  listForGuild(guildId: string, filter?: Omit<CaseFilter, 'guildId'>): Promise<CaseSummary[]>;
  /** One case in full; `not_found` when it does not exist or belongs to a server outside `scope`. */
  show(caseNumber: number, scope: GuildScope): Promise<CaseDetail>;
  /** Marks a report as being looked into, which DMs its reporter (with the note, if any). */
  triage(
    caseNumber: number,
    input: { note?: string; priority?: CasePriority },
    ctx: StaffContext,
  ): Promise<OperationResult>;
  close(
    caseNumber: number,
    input: { reason: string; resolution?: 'resolved' | 'declined' },
    ctx: StaffContext,
  ): Promise<OperationResult>;
  assign(caseNumber: number, input: { agent: string }, ctx: StaffContext): Promise<OperationResult>;
  note(caseNumber: number, input: { note: string }, ctx: StaffContext): Promise<OperationResult>;
  linkDuplicate(
    caseNumber: number,
    input: { originalCaseNumber: number; note?: string },
    ctx: StaffContext,
  ): Promise<OperationResult>;
}

export function createCaseOperations(deps: { client: Client; store: CaseStore }): CaseOperations {
  const { client, store } = deps;

  /** The case, if the caller may see it: another server's case is "not found", so its existence does not leak. */
  async function load(caseNumber: number, scope: GuildScope): Promise<CaseDetail> {
    const found = await store.getCase(caseNumber);
    if (!found) throw new CaseOperationError('not_found', `case #${caseNumber} does not exist`);
    if (!inScope(scope, found.guildId)) {
      throw new CaseOperationError('not_found', `there is no case #${caseNumber} in ${describeScope(scope)}`);
    }
    return found;
  }

  const isReport = (c: CaseSummary): c is CaseSummary & { type: ReportType; workflowId: string } =>
    (REPORT_TYPES as readonly string[]).includes(c.type) && c.workflowId !== undefined;

  /** Runs a staff update on the report's workflow; `ended` handles a workflow that is no longer running. */
  async function viaWorkflow(
    found: CaseSummary & { workflowId: string },
    run: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<StaffActionResult>,
    ended: () => Promise<OperationResult>,
  ): Promise<OperationResult> {
    try {
      return await run(client.workflow.getHandle(found.workflowId));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return ended();
      if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
        throw new CaseOperationError('conflict', `case #${found.number}: ${err.cause.message}`);
      }
      throw err;
    }
  }

  const closedAlready = (found: CaseSummary) => async (): Promise<never> => {
    throw new CaseOperationError('conflict', `case #${found.number} is already ${found.status}`);
  };

  const directly = async (caseNumber: number, write: () => Promise<void>): Promise<OperationResult> => {
    try {
      await write();
    } catch (err) {
      if (err instanceof CaseNotFoundError) throw new CaseOperationError('not_found', err.message);
      if (err instanceof CrossGuildLinkError) throw new CaseOperationError('invalid', err.message);
      throw err;
    }
    return { caseNumber };
  };

  return {
    list: (filter, scope) =>
      store.listCases(scope.kind === 'all' ? filter : { ...filter, guildIds: scope.guildIds }),
    listForUser: (guildId, userId) => store.listCases({ guildId, reporterId: userId }),
    listForGuild: (guildId, filter = {}) => store.listCases({ ...filter, guildId }),
    show: load,

    async close(caseNumber, input, ctx) {
      const found = await load(caseNumber, ctx.scope);
      const eventId = ctx.eventId ?? randomUUID();
      if (!isReport(found)) {
        throw new CaseOperationError(
          'conflict',
          `case #${caseNumber} is a support conversation: it is closed from Flex or by the user in Discord`,
        );
      }
      const action = {
        eventId,
        actor: ctx.actor,
        resolution: input.resolution ?? 'resolved',
        note: input.reason,
      };
      return viaWorkflow(
        found,
        (h) => h.executeUpdate(closeReportUpdate, { args: [action] }),
        closedAlready(found),
      );
    },

    async triage(caseNumber, input, ctx) {
      const found = await load(caseNumber, ctx.scope);
      if (!isReport(found)) {
        throw new CaseOperationError(
          'conflict',
          `case #${caseNumber} is a support conversation: only bug and feature reports are triaged`,
        );
      }
      const action = {
        eventId: ctx.eventId ?? randomUUID(),
        actor: ctx.actor,
        ...(input.note ? { note: input.note } : {}),
        ...(input.priority ? { priority: input.priority } : {}),
      };
      return viaWorkflow(
        found,
        (h) => h.executeUpdate(triageUpdate, { args: [action] }),
        closedAlready(found),
      );
    },

    async assign(caseNumber, input, ctx) {
      const found = await load(caseNumber, ctx.scope);
      const eventId = ctx.eventId ?? randomUUID();
      const writeDirectly = () =>
        directly(caseNumber, () =>
          store.updateCase(
            caseNumber,
            { assignedAgent: input.agent },
            { eventId, actor: ctx.actor, action: 'assigned', detail: input.agent },
          ),
        );
      if (!isReport(found)) return writeDirectly();
      const action = { eventId, actor: ctx.actor, agent: input.agent };
      return viaWorkflow(found, (h) => h.executeUpdate(assignUpdate, { args: [action] }), writeDirectly);
    },

    async note(caseNumber, input, ctx) {
      const found = await load(caseNumber, ctx.scope);
      const eventId = ctx.eventId ?? randomUUID();
      const writeDirectly = () =>
        directly(caseNumber, () =>
          store.updateCase(caseNumber, {}, { eventId, actor: ctx.actor, action: 'note', detail: input.note }),
        );
      if (!isReport(found)) return writeDirectly();
      const action = { eventId, actor: ctx.actor, note: input.note };
      return viaWorkflow(found, (h) => h.executeUpdate(addNoteUpdate, { args: [action] }), writeDirectly);
    },

    async linkDuplicate(caseNumber, input, ctx) {
      if (caseNumber === input.originalCaseNumber) {
        throw new CaseOperationError('invalid', 'a case cannot duplicate itself');
      }
      const [found, original] = await Promise.all([
        load(caseNumber, ctx.scope),
        load(input.originalCaseNumber, ctx.scope),
      ]);
      if (found.guildId !== original.guildId) {
        // The duplicate's reporter would be told about, and later DMed the title of, another server's report.
        throw new CaseOperationError(
          'invalid',
          `case #${original.number} is in another server than #${found.number}: duplicates link only within one server`,
        );
      }
      const eventId = ctx.eventId ?? randomUUID();
      if (!isReport(found)) {
        return directly(caseNumber, () =>
          store.linkCases(
            { caseNumber, linkedCaseNumber: original.number, kind: 'duplicate_of' },
            { eventId, actor: ctx.actor, action: 'linked_duplicate', detail: input.note },
          ),
        );
      }
      const action = {
        eventId,
        actor: ctx.actor,
        originalCaseNumber: original.number,
        ...(isReport(original) ? { originalWorkflowId: original.workflowId } : {}),
        originalGuildId: original.guildId,
        ...(input.note ? { note: input.note } : {}),
      };
      return viaWorkflow(
        found,
        (h) => h.executeUpdate(markDuplicateUpdate, { args: [action] }),
        closedAlready(found),
      );
    },
  };
}
