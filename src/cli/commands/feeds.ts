import { type Client, ScheduleNotFoundError } from '@temporalio/client';
import { type Command } from 'commander';
import { SqlFeedLedger } from '../../activities/feeds/sql-feed-ledger';
import { type FeedLedgerSummary } from '../../activities/feeds/port';
import { defaultSqliteFile, openCaseDatabase } from '../../cases';
import { type Config, loadConfig } from '../../config';
import { FEED_RELAY_SCHEDULE_ID, type FeedRelayInput } from '../../shared/feed-relay';
import { commandLineTarget, connectClient } from '../../temporal/connect';
import { UserError } from '../user-error';
import { closeTemporalConnection } from '../../temporal/close-connection';

export interface FeedRelayStatus {
  schedule:
    | { found: false }
    | {
        found: true;
        paused: boolean;
        everySeconds?: number;
        feedUrls: string[];
        nextRunAt?: string;
        lastRunAt?: string;
        lastWorkflowId?: string;
      };
  feeds: FeedLedgerSummary[];
}

const NOT_SCHEDULED =
  'no feed-relay schedule: set FEED_URLS and DISCORD_GUILD_ID, then start the worker (it creates the schedule)';

/** Starts a poll now, outside the interval; the schedule's SKIP policy still keeps it from racing a running poll. */
export async function pollFeedsNow(client: Client, scheduleId = FEED_RELAY_SCHEDULE_ID): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId).trigger();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new UserError(NOT_SCHEDULED);
    throw err;
  }
}

export async function readFeedRelayStatus(
  client: Client,
  ledger: Pick<SqlFeedLedger, 'summary'>,
  scheduleId = FEED_RELAY_SCHEDULE_ID,
): Promise<FeedRelayStatus> {
  const feeds = await ledger.summary();
  let described;
  try {
    described = await client.schedule.getHandle(scheduleId).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return { schedule: { found: false }, feeds };
    throw err;
  }
  const every = described.spec.intervals?.[0]?.every;
  const last = described.info.recentActions.at(-1);
  const input = (described.action.type === 'startWorkflow' ? described.action.args?.[0] : undefined) as
    FeedRelayInput | undefined;
  return {
    schedule: {
      found: true,
      paused: described.state.paused,
      ...(typeof every === 'number' ? { everySeconds: every / 1000 } : {}),
      feedUrls: input?.feedUrls ?? [],
      nextRunAt: described.info.nextActionTimes[0]?.toISOString(),
      lastRunAt: last?.takenAt.toISOString(),
      lastWorkflowId: last?.action.workflow.workflowId,
    },
    feeds,
  };
}

export function formatFeedRelayStatus(status: FeedRelayStatus): string {
  const lines: string[] = [];
  const s = status.schedule;
  if (!s.found) lines.push(NOT_SCHEDULED);
  else {
    lines.push(
      `schedule ${FEED_RELAY_SCHEDULE_ID}: ${s.paused ? 'paused' : 'active'}, every ${s.everySeconds ?? '?'} s`,
      `  next poll: ${s.nextRunAt ?? '-'}   last poll: ${s.lastRunAt ?? 'never'}${s.lastWorkflowId ? ` (${s.lastWorkflowId})` : ''}`,
    );
  }
  const urls = new Set([...(s.found ? s.feedUrls : []), ...status.feeds.map((f) => f.feedUrl)]);
  for (const url of urls) {
    const f = status.feeds.find((x) => x.feedUrl === url);
    const scheduled = s.found && s.feedUrls.includes(url) ? '' : ' (no longer configured)';
    lines.push(
      f
        ? `${url}${scheduled}: ${f.posted} posted, ${f.skipped} skipped, last post ${f.lastPostedAt ?? 'never'}`
        : `${url}: nothing posted yet`,
    );
  }
  return lines.join('\n');
}

async function withClient<T>(config: Config, fn: (client: Client) => Promise<T>): Promise<T> {
  const target = commandLineTarget(config);
  const { client, connection } = await connectClient(target);
  try {
    return await fn(client);
  } finally {
    await closeTemporalConnection(connection);
  }
}

export function registerFeedsCommand(program: Command): void {
  const feeds = program.command('feeds').description('the official-feed relay to the announcements channel');
  feeds
    .command('poll-now')
    .description('poll the configured feeds now instead of waiting for the next interval')
    .action(async () => {
      await withClient(loadConfig(), (client) => pollFeedsNow(client));
      console.log('feed poll started; `flexcord feeds status` shows what was posted');
    });
  feeds
    .command('status')
    .description('the schedule, and per feed how many items were posted')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig();
      const database = await openCaseDatabase({
        databaseUrl: config.cases.databaseUrl,
        sqliteFile: defaultSqliteFile(config.dataDir),
      });
      try {
        const ledger = await SqlFeedLedger.open(database.db);
        const status = await withClient(config, (client) => readFeedRelayStatus(client, ledger));
        console.log(opts.json ? JSON.stringify(status, null, 2) : formatFeedRelayStatus(status));
      } finally {
        await database.close();
      }
    });
}
