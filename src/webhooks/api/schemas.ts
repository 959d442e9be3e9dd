import { z } from 'zod';
import { discordUserId } from '../../privacy/user-data';
import { CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES } from '../../shared/case-types';

/* What the case API accepts, checked before anything else runs. */

/** Text with something in it; surrounding spaces are dropped before the length is checked. */
const text = (max: number) => z.string().regex(/\S/, 'must not be blank').trim().max(max);

export const caseNumberParams = z.object({
  number: z.coerce.number().int().positive().meta({ description: 'the case number', example: 1042 }),
});

export const listQuery = z.object({
  status: z.enum(CASE_STATUSES).optional(),
  type: z.enum(CASE_TYPES).optional(),
  guild: text(32)
    .optional()
    .meta({ description: 'only cases of this Discord server (one the token may see)' }),
  reporter: text(32).optional().meta({ description: 'only cases reported by this Discord user id' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .meta({ description: 'at most this many (default 50)' }),
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
export const idempotencyKey = text(200)
  .optional()
  .meta({ description: 'a retry with the same key applies the change once' });

/** The Discord user a privacy request is about. */
export const privacyUserParams = z.object({
  user: discordUserId.meta({ description: 'Discord user id', example: '53908232506183680' }),
});
