/** A period given as `--since 30d` (a duration back from now or from `until`) or dates; `until` defaults to now. */
export class PeriodError extends Error {
  override name = 'PeriodError';
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
export const DEFAULT_SINCE = '30d';

function parseMoment(value: string, what: string, before?: Date): Date {
  const relative = /^(\d+)([mhdw])$/.exec(value.trim());
  if (relative) {
    if (!before) throw new PeriodError(`${what}: a duration only works for the start of the period`);
    return new Date(before.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  }
  // A plain date or an ISO 8601 date-time (UTC unless it names an offset).
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim()))
    throw new PeriodError(
      `${what}: expected a date such as 2025-06-01, a date-time, or a duration such as 7d`,
    );
  const date = new Date(/T|\s/.test(value.trim()) ? value.trim() : `${value.trim()}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) throw new PeriodError(`${what}: not a real date`);
  return date;
}

export function parsePeriod(
  input: { since?: string; until?: string },
  now: Date = new Date(),
): {
  from: Date;
  to: Date;
} {
  const to = input.until ? parseMoment(input.until, 'until') : now;
  const from = parseMoment(input.since ?? DEFAULT_SINCE, 'since', to);
  if (from.getTime() >= to.getTime()) throw new PeriodError('since: the period must start before it ends');
  return { from, to };
}
