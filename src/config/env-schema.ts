import { z } from 'zod';

/** Empty strings in .env mean "not set", as users expect from `FOO=` lines. */
export const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
export const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
/** A port that is off when unset or empty. */
export const optionalPort = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.coerce.number().int().min(1).max(65535).optional(),
);
export const durationSeconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
