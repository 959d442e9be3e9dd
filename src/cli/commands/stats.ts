import { type Command } from 'commander';
import { formatStats } from '../../analytics/format-stats';
import { DEFAULT_SINCE, parsePeriod, PeriodError } from '../../analytics/period';
import { supportStats } from '../../analytics/support-stats';
import { openCaseStore } from '../../cases';
import { ALL_GUILDS } from '../../cases/guild-scope';
import { loadConfig } from '../../config';
import { UserError } from '../user-error';

/** `flexcord stats`: support analytics straight from the case store (works while the worker is down). */
export function registerStatsCommand(program: Command): void {
  program
    .command('stats')
    .description(
      'support analytics per server: conversations, knowledge-base answers, time to agent, first response, handle time, satisfaction, reports',
    )
    .option('--guild <id>', 'only this Discord server')
    .option('--since <when>', 'start: a duration back from --until (7d, 24h, 2w) or a date', DEFAULT_SINCE)
    .option('--until <when>', 'end: a date or ISO date-time (default: now)')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { guild?: string; since: string; until?: string; json?: boolean }) => {
      let period;
      try {
        period = parsePeriod({ since: opts.since, until: opts.until });
      } catch (err) {
        if (err instanceof PeriodError) throw new UserError(err.message);
        throw err;
      }
      const cases = await openCaseStore(loadConfig());
      try {
        const stats = await supportStats(cases.database.db, {
          ...period,
          guildId: opts.guild,
          scope: ALL_GUILDS,
        });
        console.log(opts.json ? JSON.stringify(stats, null, 2) : formatStats(stats));
      } finally {
        await cases.close();
      }
    });
}
