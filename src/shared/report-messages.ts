import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AssignAction,
  CloseReportAction,
  DuplicateLinkedEvent,
  MarkDuplicateAction,
  NoteAction,
  ReportState,
  StaffActionResult,
  TriageAction,
} from './report-types';

/*
 * The report workflow's messages. The bot, the API and the CLI import these definitions, never the workflow code.
 * Staff actions are updates: the caller learns whether the action was accepted (a report already resolved cannot be
 * triaged) and waits until it is stored.
 */
export const REPORT_WORKFLOW_TYPE = 'reportWorkflow';

/** Sent with update-with-start when a report is filed: answers once the case has its number. */
export const fileReportUpdate = defineUpdate<{ caseNumber: number }>('fileReport');

export const triageUpdate = defineUpdate<StaffActionResult, [TriageAction]>('triage');
export const closeReportUpdate = defineUpdate<StaffActionResult, [CloseReportAction]>('closeReport');
export const assignUpdate = defineUpdate<StaffActionResult, [AssignAction]>('assign');
export const addNoteUpdate = defineUpdate<StaffActionResult, [NoteAction]>('addNote');
export const markDuplicateUpdate = defineUpdate<StaffActionResult, [MarkDuplicateAction]>('markDuplicate');

export const duplicateLinkedSignal = defineSignal<[DuplicateLinkedEvent]>('duplicateLinked');

/** A duplicate's reporter asked to be forgotten: the original must not DM them when it closes. */
export const forgetReporterSignal = defineSignal<[{ reporterId: string }]>('forgetReporter');

export const reportStateQuery = defineQuery<ReportState>('reportState');
