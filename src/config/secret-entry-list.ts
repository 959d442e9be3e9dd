import { z } from 'zod';

/** One `<name>=<value>` entry of a list setting, and how issues name it: by position, never by its secret value. */
export interface ListEntry {
  name: string;
  value: string;
  at: string;
}

/**
 * A comma-separated setting of `<name>=<value>` entries (API_TOKENS, PAYLOAD_ENCRYPTION_KEYS). `splitAt` says
 * which `=` divides name from value: the last one when names may hold none but values are ids, the first when
 * values are base64 and end in `=`. `parse` turns one entry into a setting, or returns an issue's words; a name
 * listed twice is refused here, once for every list.
 */
export function secretEntryList<T>(options: {
  splitAt: 'first' | 'last';
  nameOf: (setting: T) => string;
  twice: (entry: ListEntry) => string;
  parse: (entry: ListEntry) => T | { issue: string };
}) {
  return z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .optional()
      .transform((raw, ctx): T[] => {
        const settings: T[] = [];
        const entries = (raw ?? '')
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean);
        entries.forEach((text, i) => {
          const eq = options.splitAt === 'first' ? text.indexOf('=') : text.lastIndexOf('=');
          const entry: ListEntry = {
            name: eq > 0 ? text.slice(0, eq).trim() : '',
            value: eq > 0 ? text.slice(eq + 1).trim() : '',
            at: `entry ${i + 1}`,
          };
          const parsed = options.parse(entry);
          if (isIssue(parsed)) {
            ctx.addIssue({ code: 'custom', message: parsed.issue });
          } else if (settings.some((s) => options.nameOf(s) === entry.name)) {
            ctx.addIssue({ code: 'custom', message: options.twice(entry) });
          } else {
            settings.push(parsed);
          }
        });
        return settings;
      }),
  );
}

function isIssue(parsed: unknown): parsed is { issue: string } {
  return typeof parsed === 'object' && parsed !== null && 'issue' in parsed;
}
