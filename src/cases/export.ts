import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { CaseDetail, CaseFilter } from '../activities/cases/port';
import { type SqlCaseStore } from './sql-case-store';

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One CSV row per case, for spreadsheets and reporting; JSON Lines keeps everything (transcript, events). */
const CSV_COLUMNS = [
  'number',
  'type',
  'status',
  'priority',
  'guild_id',
  'reporter_id',
  'reporter_name',
  'title',
  'assigned_agent',
  'created_at',
  'updated_at',
  'closed_at',
  'close_reason',
  'rating',
  'staff_notes',
  'latest_staff_note',
  'transcript_lines',
  'duplicate_of',
  'workflow_id',
] as const;

function csvRecord(c: CaseDetail): Record<(typeof CSV_COLUMNS)[number], string | number | undefined> {
  return {
    number: c.number,
    type: c.type,
    status: c.status,
    priority: c.priority,
    guild_id: c.guildId,
    reporter_id: c.reporter.discordId,
    reporter_name: c.reporter.name,
    title: c.title,
    assigned_agent: c.assignedAgent,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    closed_at: c.closedAt,
    close_reason: c.closeReason,
    rating: c.rating,
    staff_notes: c.notes.length,
    latest_staff_note: c.notes.at(-1)?.text,
    transcript_lines: c.transcript.length,
    duplicate_of: c.links.find((l) => l.kind === 'duplicate_of' && l.direction === 'to')?.caseNumber,
    workflow_id: c.workflowId,
  };
}

/**
 * Streams the matching cases to `out` as JSON Lines or CSV, page by page, honouring back-pressure; returns how many
 * were written. `onProgress` is called after every `progressEvery` cases.
 */
export async function exportCases(
  store: SqlCaseStore,
  options: {
    format: ExportFormat;
    out: Writable;
    filter?: Omit<CaseFilter, 'limit'>;
    onProgress?: (written: number) => void;
    progressEvery?: number;
  },
): Promise<number> {
  let written = 0;
  const every = options.progressEvery ?? 1000;
  async function* counted(): AsyncGenerator<CaseDetail> {
    for await (const c of store.exportCases(options.filter ?? {})) {
      written += 1;
      if (written % every === 0) options.onProgress?.(written);
      yield c;
    }
  }
  if (options.format === 'jsonl') {
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const c of counted()) yield `${JSON.stringify(c)}\n`;
        })(),
      ),
      options.out,
    );
  } else {
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const c of counted()) yield csvRecord(c);
        })(),
      ),
      // escape_formulas prefixes a ' to cells starting with =, +, -, @, tab or CR (and their full-width forms), so a
      // user-written title cannot run as a spreadsheet formula when staff open the file (OWASP "CSV injection").
      stringify({ header: true, columns: [...CSV_COLUMNS], escape_formulas: true }),
      options.out,
    );
  }
  return written;
}
