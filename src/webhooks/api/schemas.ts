import { z } from 'zod';
import { CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES } from '../../shared/case-types';

/* What the case API accepts, checked before anything else runs. */

const text = (max: number) => z.string().trim().min(1).max(max);

export const caseNumberParams = z.object({ number: z.coerce.number().int().positive() });

/** `GET /api/stats`: the period as `flexcord stats` takes it (a duration such as 7d, or dates). */
export const statsQuery = z.object({
  guild: text(32).optional(),
  since: text(40).optional(),
  until: text(40).optional(),
});

export const listQuery = z.object({
  status: z.enum(CASE_STATUSES).optional(),
  type: z.enum(CASE_TYPES).optional(),
  guild: text(32).optional(),
  reporter: text(32).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Who on the staff side acts, for the event log; defaults to "api". */
const actor = text(100).optional();

export const closeBody = z.object({
  reason: text(2000),
  resolution: z.enum(['resolved', 'declined']).optional(),
  actor,
});

/** The note, if any, goes to the reporter with the news that the team is looking into their report. */
export const triageBody = z.object({
  note: text(2000).optional(),
  priority: z.enum(CASE_PRIORITIES).optional(),
  actor,
});

export const assignBody = z.object({ agent: text(100), actor });

export const noteBody = z.object({ note: text(4000), actor });

export const linkBody = z.object({
  duplicateOf: z.coerce.number().int().positive(),
  note: text(2000).optional(),
  actor,
});

/** A client's retry key: the same key makes a repeated POST apply once. */
export const idempotencyKey = z.string().trim().min(1).max(200).optional();
