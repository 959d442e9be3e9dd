import { z } from 'zod';
import { CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES } from '../../shared/case-types';
import { REPORT_PHASES } from '../../shared/report-types';

/*
 * What the case API answers, as zod schemas for its OpenAPI document (the requests' schemas are in schemas.ts).
 * The answers are built from typed store rows; the API test checks every answer against these.
 */

const timestamp = z
  .string()
  .meta({ description: 'ISO 8601 date and time', example: '2026-01-01T12:00:00.000Z' });

const reporter = z.object({
  discordId: z.string().meta({ description: 'Discord user id' }),
  name: z.string().meta({ description: 'Discord name at the time of reporting' }),
});

export const caseSummary = z
  .object({
    number: z.number().int().positive(),
    type: z.enum(CASE_TYPES),
    status: z.enum(CASE_STATUSES),
    priority: z.enum(CASE_PRIORITIES),
    guildId: z.string().meta({ description: 'Discord server id' }),
    reporter,
    title: z.string(),
    assignedAgent: z.string().optional(),
    createdAt: timestamp,
    updatedAt: timestamp,
    workflowId: z.string().optional().meta({ description: 'the Temporal workflow following the case' }),
  })
  .meta({ id: 'CaseSummary' });

const attachment = z.object({
  url: z.string(),
  name: z.string().optional(),
  contentType: z.string().optional(),
});

const transcriptEntry = z.object({
  entryId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  authorKind: z.enum(['user', 'bot', 'agent', 'system']),
  author: z.string(),
  text: z.string(),
  attachments: z.array(attachment),
  at: timestamp,
});

const caseEvent = z.object({
  eventId: z.string(),
  actor: z.string(),
  action: z.string(),
  detail: z.string().optional(),
  at: timestamp,
});

const staffNote = z.object({
  caseNumber: z.number().int(),
  author: z.string(),
  text: z.string(),
  at: timestamp,
});

export const caseDetail = caseSummary
  .extend({
    description: z.string(),
    fields: z.record(z.string(), z.string()).meta({ description: "the report form's fields, by label" }),
    transcript: z.array(transcriptEntry),
    events: z.array(caseEvent),
    notes: z.array(staffNote).meta({ description: 'private staff notes, never shown to the reporter' }),
    closeReason: z.string().optional(),
    rating: z.number().int().min(1).max(5).optional(),
    twilio: z.object({
      conversationSid: z.string().optional(),
      interactionSid: z.string().optional(),
      channelSid: z.string().optional(),
      taskSid: z.string().optional(),
    }),
    links: z.array(
      z.object({
        kind: z.enum(['duplicate_of']),
        caseNumber: z.number().int(),
        direction: z
          .enum(['to', 'from'])
          .meta({ description: 'to: this case duplicates it; from: it duplicates this' }),
      }),
    ),
    closedAt: timestamp.optional(),
  })
  .meta({ id: 'CaseDetail' });

export const operationResult = z
  .object({
    caseNumber: z.number().int().positive(),
    phase: z.enum(REPORT_PHASES).optional().meta({ description: "a report's phase after the action" }),
    reporterNotified: z
      .boolean()
      .optional()
      .meta({
        description:
          'absent for report actions: the reporter is DMed after the answer, and the case records ' +
          'reporter_notified or reporter_unreachable',
      }),
  })
  .meta({ id: 'OperationResult' });

export const errorBody = z
  .object({
    error: z.string().meta({ description: 'a stable code: unauthorized, not_found, conflict, invalid, …' }),
    message: z.string().optional(),
  })
  .meta({ id: 'Error' });

export const invalidRequest = z
  .object({
    error: z.literal('invalid_request'),
    issues: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .meta({ id: 'InvalidRequest' });

export const userExport = z
  .object({
    discordUserId: z.string(),
    exportedAt: timestamp,
    cases: z
      .array(caseDetail)
      .meta({ description: 'every case they reported, with transcripts, events, ratings' }),
    workflows: z.array(
      z.object({
        workflowId: z.string(),
        runId: z.string(),
        type: z.string(),
        status: z.string(),
        startTime: timestamp.optional(),
        closeTime: timestamp.optional(),
      }),
    ),
    twilioConversations: z.array(z.string()).meta({ description: 'their Twilio Conversations sids' }),
    notIncluded: z.array(z.string()).meta({ description: 'what could not be read, and why' }),
  })
  .meta({ id: 'UserExport' });

export const forgetReport = z
  .object({
    discordUserId: z.string(),
    closedConversations: z.number().int(),
    stoppedReports: z.number().int(),
    otherReportsUpdated: z.number().int(),
    twilioConversationsDeleted: z.number().int(),
    workflowExecutionsDeleted: z.number().int(),
    casesDeleted: z.number().int(),
    staffActionsAnonymised: z.number().int(),
    notDone: z.array(z.string()).meta({ description: 'steps not done (run again once fixed)' }),
  })
  .meta({ id: 'ForgetReport' });

export const userBlock = z
  .object({
    guildId: z.string(),
    userId: z.string(),
    reason: z.string(),
    blockedBy: z.string(),
    blockedAt: timestamp,
    expiresAt: timestamp.optional(),
  })
  .meta({ id: 'UserBlock' });
