import { type BenchSystem, startBenchSystem } from './system/bench-system';
import { SendQueueBacklog } from './system/send-queue-backlog';
import { drain, driveLoad } from './system/load';
import { RelayLedger } from './system/relay-ledger';
import { endContext, markdownTable, ms, runContext, writeResults } from './system/report';
import { StatsWindow } from './system/window-stats';
import { addUsers, bringToAgents } from './system/world';

/*
 * `npm run bench -- discord-throughput`: agents in 500 conversations send 2,000 messages at once, and two worker
 * processes relay them to Discord, whose fake enforces Discord's documented limits (50 requests/s per bot token
 * globally, 5 messages per 5 s per channel, 429 with retry_after and X-RateLimit-Global/Scope). Aim: the posts go
 * out at 95% or more of 50/s sustained while the send queue has work, without a storm of global 429s, and none is
 * lost. The two workers share a PostgreSQL case store (as several worker processes should: SQLite has one writer).
 *
 * The claim is about the send queue sharing Discord's limit between workers, so by default the queue is filled
 * before it is measured: while the burst is relayed into the workflows, the workers run with a Discord limit of 2/s
 * (the queue dispatches 1/s), so each conversation's next post waits in the send queue; then both workers restart
 * with the real limit and the queue drains. Every message still goes the whole way (webhook, signal, workflow,
 * `sendToDiscord` on the send queue, the Discord fake). Reported: the posts per second in the seconds that began
 * with at least a second's worth of posts waiting in the queue (the queue's own rate), and first to last post after
 * the release (which includes the conversations refilling the queue, one post each at a time).
 *
 * Settings: BENCH_CONVERSATIONS (500), BENCH_MESSAGES (2000), BENCH_WORKERS (2), BENCH_BURST_RATE (agent messages
 * per second while they are sent, 400), BENCH_HOLD_SENDS (1: fill the queue first; 0: measure it as fed live).
 */
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 500);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const BURST_RATE = Number(process.env.BENCH_BURST_RATE ?? 400);
const HOLD_SENDS = process.env.BENCH_HOLD_SENDS !== '0';
const GLOBAL_LIMIT = 50;
const AIM_SHARE = 0.95;
/** More global 429s than this in the whole run is a storm (each one is a refused request and a retry). */
const STORM = 10;

async function main() {
  const context = runContext();
  const bench = await startBenchSystem({
    name: 'discord-throughput',
    workers: WORKERS,
    caseStore: 'postgres',
  });
  const { fakes } = bench;
  let result: Record<string, unknown> | undefined;
  let markdown = '';
  try {
    const setupStart = Date.now();
    const users = addUsers(fakes, CONVERSATIONS, 'throughput-user-');
    const conversations = await bringToAgents(fakes, users, { concurrency: 25, timeoutMs: 600_000 });
    const setupMs = Date.now() - setupStart;
    console.log(`${CONVERSATIONS} conversations with an agent in ${ms(setupMs)}`);

    const ledger = new RelayLedger('tp');
    const limiter = fakes.discord.rateLimiter;
    const backlog = new SendQueueBacklog(bench.temporal.address, `bench-discord-throughput-discord-sends`);
    backlog.start();
    if (HOLD_SENDS) await restartWorkersWithDiscordLimit(bench, 2);
    const global429Before = limiter.globallyLimited.length;
    const route429Before = limiter.limited.length;
    const postsBefore = fakes.discord.requestLog.length;
    let window = new StatsWindow(bench.flexcord.all, { temporal: () => bench.temporal.pid });
    const load = await driveLoad({
      fakes,
      conversations,
      ledger,
      ratePerSecond: BURST_RATE,
      durationMs: (MESSAGES / BURST_RATE) * 1000,
      label: 'burst',
      directions: ['agent_to_user'],
    });
    const burstEnded = Date.now();
    let released = 0;
    let held: Record<string, unknown> | undefined;
    if (HOLD_SENDS) {
      // Every conversation relays one message at a time, so the queue holds at most one post per conversation.
      const waiting = await backlog.waitUntilSettled({
        target: CONVERSATIONS,
        quietMs: 20_000,
        timeoutMs: 600_000,
      });
      held = { postsWaitingInQueue: waiting, fillMs: Date.now() - burstEnded };
      console.log(`${waiting} posts waiting in the send queue; restarting the workers with Discord's limit`);
      // Measured from the first post of the restarted workers (while they stop and start, nothing is posted).
      released = Date.now();
      await restartWorkersWithDiscordLimit(bench, GLOBAL_LIMIT);
      window = new StatsWindow(bench.flexcord.all, { temporal: () => bench.temporal.pid });
    }
    await drain(fakes, conversations, ledger, () => true, { quietMs: 60_000 });
    backlog.stop();
    const stats = window.end();
    const arrivals = ledger.arrivals(fakes.discord, fakes.twilio, conversations);
    const { latenciesMs, ...count } = ledger.count(arrivals, 'agent_to_user');

    // The posts as Discord saw them after the release: when each message with a token was created.
    const allPostTimes = [...arrivals.values()]
      .flat()
      .map((a) => a.at)
      .sort((a, b) => a - b);
    const postTimes = allPostTimes.filter((t) => !HOLD_SENDS || t >= released);
    const first = postTimes[0] ?? 0;
    const last = postTimes.at(-1) ?? 0;
    const sustained = postTimes.length > 1 ? ((postTimes.length - 1) * 1000) / (last - first) : 0;
    const perSecond: number[] = [];
    const backlogAtSecond: number[] = [];
    for (const t of postTimes) {
      const second = Math.floor((t - first) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
    for (let second = 0; second < perSecond.length; second++)
      backlogAtSecond[second] = backlog.at(first + second * 1000);
    // The queue's own rate: seconds that began with at least a second's worth of posts waiting (the last second of
    // the run is partial and left out).
    const fullSeconds = perSecond
      .map((n, second) => ({ n: n ?? 0, second }))
      .filter(({ second }) => second < perSecond.length - 1 && backlogAtSecond[second]! >= GLOBAL_LIMIT);
    const fullQueueRate = fullSeconds.length
      ? fullSeconds.reduce((sum, { n }) => sum + n, 0) / fullSeconds.length
      : 0;
    const global429 = limiter.globallyLimited.length - global429Before;
    const route429 = limiter.limited.length - route429Before;
    const requests = fakes.discord.requestLog.length - postsBefore;
    const byRoute: Record<string, number> = {};
    for (const r of fakes.discord.requestLog.slice(postsBefore)) {
      const route = `${r.method} ${r.path.replace(/\d{15,}/g, ':id')}`;
      byRoute[route] = (byRoute[route] ?? 0) + 1;
    }
    const met =
      fullSeconds.length > 0 &&
      fullQueueRate >= AIM_SHARE * GLOBAL_LIMIT &&
      global429 <= STORM &&
      count.lost === 0 &&
      count.duplicated === 0;
    result = {
      context,
      conversations: CONVERSATIONS,
      messages: MESSAGES,
      workers: WORKERS,
      setupMs,
      caseStore: 'postgres',
      holdSends: HOLD_SENDS,
      held,
      load,
      delivery: count,
      sustainedPostsPerSecond: Number(sustained.toFixed(2)),
      shareOfGlobalLimit: Number((sustained / GLOBAL_LIMIT).toFixed(3)),
      fullQueueSeconds: fullSeconds.length,
      fullQueuePostsPerSecond: Number(fullQueueRate.toFixed(2)),
      fullQueueShareOfGlobalLimit: Number((fullQueueRate / GLOBAL_LIMIT).toFixed(3)),
      sendQueueBacklogAtSecond: backlogAtSecond,
      postsBeforeRelease: allPostTimes.length - postTimes.length,
      global429,
      route429,
      discordRequests: requests,
      discordRequestsByRoute: byRoute,
      postsPerSecond: Array.from(perSecond, (n) => n ?? 0),
      latencyMs: { last: Math.max(0, ...latenciesMs) },
      stats,
      aim: `≥ ${AIM_SHARE * 100}% of ${GLOBAL_LIMIT}/s sustained, ≤ ${STORM} global 429s, 0 lost, 0 duplicated`,
      met,
    };
    markdown = [
      `Discord throughput: ${MESSAGES} agent messages to ${CONVERSATIONS} conversations, ${WORKERS} worker processes ` +
        `on a PostgreSQL case store, the Discord fake at ${GLOBAL_LIMIT} requests/s per bot` +
        (HOLD_SENDS
          ? `, the send queue filled first (${String(held?.postsWaitingInQueue)} posts waiting when the workers ` +
            `restarted with Discord's limit; ${allPostTimes.length - postTimes.length} posted while it filled, at 1/s)`
          : '') +
        ` (${String(context.date)}, load average at start ${(context.loadAverageAtStart as number[]).join(' ')}).`,
      '',
      markdownTable(
        [
          'messages',
          'delivered',
          'lost',
          'duplicated',
          'posts/s, queue full',
          'share of 50/s',
          'seconds with a full queue',
          'posts/s, first to last',
          'global 429s',
          'route 429s',
          'all Discord requests',
          'aim',
        ],
        [
          [
            count.sent,
            count.delivered,
            count.lost,
            count.duplicated,
            fullQueueRate.toFixed(1),
            `${((fullQueueRate / GLOBAL_LIMIT) * 100).toFixed(1)}%`,
            fullSeconds.length,
            sustained.toFixed(1),
            global429,
            route429,
            requests,
            met ? 'met' : 'missed',
          ],
        ],
      ),
      '',
      `Discord requests by route: ${Object.entries(byRoute)
        .map(([r, n]) => `${r} ${n}`)
        .join(
          ', ',
        )}. The last message reached Discord ${ms(Math.max(0, ...latenciesMs))} after it was sent; CPU (cores): ` +
        Object.entries(stats.cpuCores)
          .map(([p, c]) => `${p} ${c}`)
          .join(', ') +
        '.',
    ].join('\n');
  } finally {
    await bench.stop();
  }
  const files = await writeResults(
    'discord-throughput',
    { ...result, context: { ...context, ...endContext() } },
    markdown,
  );
  console.log(`\n${markdown}\n\n${files.join('\n')}`);
  process.exitCode = result?.met ? 0 : 1;
}

/** Restarts every worker process (gracefully) with this Discord global limit: the send queue dispatches it less 1/s. */
async function restartWorkersWithDiscordLimit(bench: BenchSystem, limit: number): Promise<void> {
  await Promise.all(
    bench.flexcord.workers.map(async (worker) => {
      worker.options.env.DISCORD_GLOBAL_RATE_LIMIT = String(limit);
      await worker.stop();
      await worker.start();
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
