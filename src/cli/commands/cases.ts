import fs from 'node:fs';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import type { CaseDetail } from '../../activities/cases/port';
import { type Config, loadConfig } from '../../config';
import { openCaseStore, type OpenedCaseStore } from '../../cases';
import { EXPORT_FORMATS, exportCases, type ExportFormat } from '../../cases/export';
import { type GuildScope, onlyGuilds } from '../../cases/guild-scope';
import {
  type CaseOperations,
  CaseOperationError,
  createCaseOperations,
  type StaffContext,
} from '../../cases/report-client';
import {
  CASE_PRIORITIES,
  CASE_STATUSES,
  CASE_TYPES,
  type CasePriority,
  type CaseSummary,
} from '../../shared/case-types';
import { commandLineTarget, connectClient } from '../../temporal/connect';
import { UserError } from '../user-error';
import { registerBlockCommands } from './case-blocks';
import { closeTemporalConnection } from '../../temporal/close-connection';

const filterOptions = z.object({
  status: z.enum(CASE_STATUSES).optional(),
  type: z.enum(CASE_TYPES).optional(),
  guild: z.string().min(1).optional(),
  reporter: z.string().min(1).optional(),
});
const caseNumber = z.coerce.number().int().positive();

/** `flexcord cases ...`: staff access to the case store from a shell; reads go to the store, closing to Temporal. */
export function registerCasesCommand(program: Command): void {
  const cases = program
    .command('cases')
    .description('list, show, triage, close and export support cases and reports');
  const withFilters = (cmd: Command) =>
    cmd
      .addOption(new Option('--status <status>', 'only cases in this status').choices(CASE_STATUSES))
      .addOption(new Option('--type <type>', 'only cases of this type').choices(CASE_TYPES))
      .option('--guild <id>', 'only cases from this Discord server')
      .option('--reporter <id>', 'only cases reported by this Discord user');

  withFilters(cases.command('list').description('list cases, newest first'))
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const filter = parse(filterOptions, opts);
      const limit = parse(z.coerce.number().int().min(1).max(1000), opts.limit);
      await withStore(async ({ store }) => {
        const list = await store.listCases({
          status: filter.status,
          type: filter.type,
          guildId: filter.guild,
          reporterId: filter.reporter,
          limit,
        });
        console.log(opts.json ? JSON.stringify(list, null, 2) : formatTable(list));
      });
    });

  cases
    .command('show <number>')
    .description('show one case with its transcript and event log')
    .option('--guild <id>', 'the Discord server the case must belong to')
    .option('--json', 'print JSON')
    .action(async (number: string, opts: { json?: boolean; guild?: string }) => {
      const n = parse(caseNumber, number);
      const guild = parse(z.string().min(1).optional(), opts.guild);
      await withStore(async ({ store }) => {
        const found = await store.getCase(n);
        if (!found) throw new UserError(`case #${n} does not exist`);
        if (guild !== undefined && found.guildId !== guild) {
          throw new UserError(`there is no case #${n} in server ${guild}`);
        }
        console.log(opts.json ? JSON.stringify(found, null, 2) : formatDetail(found));
      });
    });

  cases
    .command('close <number>')
    .description('close a bug or feature report through its workflow, which DMs the reporter')
    .requiredOption('--reason <text>', 'the note sent to the reporter')
    .option('--declined', 'decline it instead of resolving it')
    .option('--guild <id>', GUILD_HELP)
    .option('--actor <name>', 'who closes it, for the event log', process.env.USER ?? 'cli')
    .action(
      async (number: string, opts: { reason: string; declined?: boolean; actor: string; guild?: string }) => {
        const n = parse(caseNumber, number);
        const reason = parse(z.string().trim().min(1).max(2000), opts.reason);
        await withOperations(opts, async (ops, staff) => {
          const result = await ops.close(
            n,
            { reason, resolution: opts.declined ? 'declined' : 'resolved' },
            staff,
          );
          console.log(
            `case #${n} is now ${result.phase ?? 'closed'}${toldReporter(result.reporterNotified)}`,
          );
        });
      },
    );

  cases
    .command('triage <number>')
    .description('mark a bug or feature report as being looked into; its workflow DMs the reporter')
    .option('--note <text>', 'a note sent to the reporter with the news')
    .addOption(new Option('--priority <priority>', 'set its priority').choices(CASE_PRIORITIES))
    .option('--guild <id>', GUILD_HELP)
    .option('--actor <name>', 'who triages it, for the event log', process.env.USER ?? 'cli')
    .action(
      async (
        number: string,
        opts: { note?: string; priority?: CasePriority; actor: string; guild?: string },
      ) => {
        const n = parse(caseNumber, number);
        const note = parse(z.string().trim().min(1).max(2000).optional(), opts.note);
        await withOperations(opts, async (ops, staff) => {
          const result = await ops.triage(
            n,
            { ...(note ? { note } : {}), ...(opts.priority ? { priority: opts.priority } : {}) },
            staff,
          );
          console.log(
            `case #${n} is now ${result.phase ?? 'triaged'}${toldReporter(result.reporterNotified)}`,
          );
        });
      },
    );

  cases
    .command('note <number> <text>')
    .description('add a private staff note to a case (shown to staff and Flex agents, never to the reporter)')
    .option('--guild <id>', GUILD_HELP)
    .option('--actor <name>', 'who writes it, for the event log', process.env.USER ?? 'cli')
    .action(async (number: string, text: string, opts: { actor: string; guild?: string }) => {
      const n = parse(caseNumber, number);
      const note = parse(z.string().trim().min(1, 'the note is empty').max(4000), text);
      await withOperations(opts, async (ops, staff) => {
        await ops.note(n, { note }, staff);
        console.log(`added a private note to case #${n}`);
      });
    });

  registerBlockCommands(cases);

  withFilters(
    cases.command('export').description('export cases as JSON Lines (everything) or CSV (one row each)'),
  )
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('jsonl'))
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (opts: Record<string, string | undefined>) => {
      const filter = parse(filterOptions, opts);
      const format = opts.format as ExportFormat;
      await withStore(async ({ store }) => {
        const scope = {
          status: filter.status,
          type: filter.type,
          guildId: filter.guild,
          reporterId: filter.reporter,
        };
        const total = await store.countCases(scope);
        const out = opts.out ? fs.createWriteStream(opts.out) : process.stdout;
        const written = await exportCases(store, {
          format,
          out,
          filter: scope,
          // Progress goes to stderr so it never mixes with exported data on stdout.
          onProgress:
            total >= 1000 ? (n) => process.stderr.write(`exported ${n}/${total} cases\n`) : undefined,
        });
        process.stderr.write(`exported ${written} case${written === 1 ? '' : 's'} as ${format}\n`);
      });
    });
}

const GUILD_HELP = 'the Discord server the case belongs to (default: DISCORD_GUILD_ID); required for changes';

const toldReporter = (notified: boolean | undefined) =>
  notified === false ? ' (the reporter has DMs closed)' : '';

/**
 * Case operations on the store and the Temporal cluster (or the local dev server), closed afterwards, limited to
 * the one server named by `--guild` (or DISCORD_GUILD_ID): a change that DMs a reporter must say whose server it
 * is meant for, so a mistyped case number cannot reach another server's members.
 */
async function withOperations(
  opts: { guild?: string; actor: string },
  fn: (ops: CaseOperations, staff: StaffContext) => Promise<void>,
): Promise<void> {
  const config = loadConfig();
  const guild = parse(z.string().min(1).optional(), opts.guild) ?? config.discord.guildId;
  if (!guild) {
    throw new UserError(
      'name the Discord server the case belongs to: --guild <id> (or set DISCORD_GUILD_ID)',
    );
  }
  const scope: GuildScope = onlyGuilds(guild);
  await withStore(async ({ store }) => {
    const target = commandLineTarget(config);
    const { client, connection } = await connectClient(target);
    try {
      await fn(createCaseOperations({ client, store }), { actor: `cli:${opts.actor}`, scope });
    } catch (err) {
      if (err instanceof CaseOperationError) throw new UserError(err.message);
      throw err;
    } finally {
      await closeTemporalConnection(connection);
    }
  }, config);
}

async function withStore(fn: (opened: OpenedCaseStore) => Promise<void>, config?: Config): Promise<void> {
  const opened = await openCaseStore(config ?? loadConfig());
  try {
    await fn(opened);
  } finally {
    await opened.close();
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UserError(result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}

function formatTable(list: CaseSummary[]): string {
  if (list.length === 0) return 'no cases';
  const rows = list.map((c) => [
    `#${c.number}`,
    c.type,
    c.status,
    c.priority,
    c.reporter.name,
    c.assignedAgent ?? '-',
    c.createdAt.slice(0, 16).replace('T', ' '),
    // One case per line, whatever the reporter typed.
    c.title.replace(/\s+/g, ' '),
  ]);
  const header = ['CASE', 'TYPE', 'STATUS', 'PRIORITY', 'REPORTER', 'AGENT', 'CREATED', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** One transcript line; an edit or deletion says which earlier line it changed. */
function transcriptLine(t: CaseDetail['transcript'][number]): string {
  if (t.revises?.kind === 'deleted') return `  [${t.at}] ${t.author} deleted message ${t.revises.entryId}`;
  if (t.revises?.kind === 'edited')
    return `  [${t.at}] ${t.author} edited message ${t.revises.entryId}: ${t.text}`;
  return `  [${t.at}] ${t.author}: ${t.text}`;
}

function formatDetail(c: CaseDetail): string {
  const lines = [
    `#${c.number} ${c.title}`,
    `${c.type}, ${c.status}, priority ${c.priority}; reporter ${c.reporter.name} (${c.reporter.discordId}), guild ${c.guildId}`,
    c.assignedAgent ? `assigned to ${c.assignedAgent}` : 'unassigned',
    ...(c.closeReason ? [`close reason: ${c.closeReason}`] : []),
    ...(c.rating !== undefined ? [`rating: ${c.rating}/5`] : []),
    ...c.links.map((l) =>
      l.direction === 'to' ? `duplicate of #${l.caseNumber}` : `duplicated by #${l.caseNumber}`,
    ),
    '',
    c.description,
    ...Object.entries(c.fields).map(([k, v]) => `  ${k}: ${v}`),
    '',
    'Staff notes (private, never shown to the reporter):',
    ...(c.notes.length ? c.notes.map((n) => `  [${n.at}] ${n.author}: ${n.text}`) : ['  (none)']),
    '',
    'Transcript:',
    ...(c.transcript.length ? c.transcript.map(transcriptLine) : ['  (empty)']),
    '',
    'Events:',
    ...c.events.map((e) => `  [${e.at}] ${e.actor} ${e.action}${e.detail ? `: ${e.detail}` : ''}`),
  ];
  return lines.join('\n');
}
