import { z } from 'zod';
import { LOCALES } from '../shared/i18n/locales';
import type { FileReportInput } from '../shared/report-types';

const snowflake = z.string().regex(/^\d{1,20}$/, 'a Discord id');

/**
 * A report as it may enter a workflow: the bot's modal and the API are edges, and whatever they pass is checked here
 * once more, so the workflow history never holds an oversized or malformed report.
 */
export const fileReportInputSchema = z.object({
  idempotencyKey: z.string().trim().min(1).max(100),
  type: z.enum(['bug', 'feature']),
  guildId: snowflake,
  reporter: z.object({ discordId: snowflake, name: z.string().trim().min(1).max(100) }),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(4000),
  fields: z.record(z.string().min(1).max(100), z.string().max(4000)),
  locale: z.enum(LOCALES).optional(),
  guildLocale: z.enum(LOCALES).optional(),
}) satisfies z.ZodType<FileReportInput>;
