import { startBenchSystem } from './system/bench-system';
import { drain, driveLoad } from './system/load';
import { RelayLedger } from './system/relay-ledger';
import { endContext, markdownTable, ms, runContext, writeResults } from './system/report';
import { StatsWindow } from './system/window-stats';
import { addUsers, bringToAgents } from './system/world';

/*
 * `npm run bench -- discord-throughput`: agents in 500 conversations send 2,000 messages at once, and two worker
 * processes relay them to Discord, whose fake enforces Discord's documented limits (50 requests/s per bot token
 * globally, 5 messages per 5 s per channel, 429 with retry_after and X-RateLimit-Global/Scope). Aim: the posts go
 * out at 95% or more of 50/s sustained, without a storm of global 429s, and none is lost.
 *
 * Settings: BENCH_CONVERSATIONS (500), BENCH_MESSAGES (2000), BENCH_WORKERS (2), BENCH_BURST_RATE (agent messages
 * per second while they are sent, 400).
 */
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 500);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const BURST_RATE = Number(process.env.BENCH_BURST_RATE ?? 400);
const GLOBAL_LIMIT = 50;
const AIM_SHARE = 0.95;
/** More global 429s than this in the whole run is a storm (each one is a refused request and a retry). */
const STORM = 10;

async function main() {
  const context = runContext();
  const bench = await startBenchSystem({ name: 'discord-throughput', workers: WORKERS });
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
    const global429Before = limiter.globallyLimited.length;
    const route429Before = limiter.limited.length;
    const postsBefore = fakes.discord.requestLog.length;
    const window = new StatsWindow(bench.flexcord.all, { temporal: () => bench.temporal.pid });
    const load = await driveLoad({
      fakes,
      conversations,
      ledger,
      ratePerSecond: BURST_RATE,
      durationMs: (MESSAGES / BURST_RATE) * 1000,
      label: 'burst',
      directions: ['agent_to_user'],
    });
    await drain(fakes, conversations, ledger, () => true, { quietMs: 60_000 });
    const stats = window.end();
    const arrivals = ledger.arrivals(fakes.discord, fakes.twilio, conversations);
    const { latenciesMs, ...count } = ledger.count(arrivals, 'agent_to_user');

    // The posts as Discord saw them: when each message with a token was created.
    const postTimes = [...arrivals.values()]
      .flat()
      .map((a) => a.at)
      .sort((a, b) => a - b);
    const first = postTimes[0] ?? 0;
    const last = postTimes.at(-1) ?? 0;
    const sustained = postTimes.length > 1 ? ((postTimes.length - 1) * 1000) / (last - first) : 0;
    const perSecond: number[] = [];
    for (const t of postTimes) {
      const second = Math.floor((t - first) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
    const global429 = limiter.globallyLimited.length - global429Before;
    const route429 = limiter.limited.length - route429Before;
    const requests = fakes.discord.requestLog.length - postsBefore;
    const byRoute: Record<string, number> = {};
    for (const r of fakes.discord.requestLog.slice(postsBefore)) {
      const route = `${r.method} ${r.path.replace(/\d{15,}/g, ':id')}`;
      byRoute[route] = (byRoute[route] ?? 0) + 1;
    }
    const met =
      sustained >= AIM_SHARE * GLOBAL_LIMIT &&
      global429 <= STORM &&
      count.lost === 0 &&
      count.duplicated === 0;
    result = {
      context,
      conversations: CONVERSATIONS,
      messages: MESSAGES,
      workers: WORKERS,
      setupMs,
      load,
      delivery: count,
      sustainedPostsPerSecond: Number(sustained.toFixed(2)),
      shareOfGlobalLimit: Number((sustained / GLOBAL_LIMIT).toFixed(3)),
      global429,
      route429,
      discordRequests: requests,
      discordRequestsByRoute: byRoute,
      postsPerSecond: perSecond.map((n) => n ?? 0),
      latencyMs: { last: Math.max(0, ...latenciesMs) },
      stats,
      aim: `≥ ${AIM_SHARE * 100}% of ${GLOBAL_LIMIT}/s sustained, ≤ ${STORM} global 429s, 0 lost, 0 duplicated`,
      met,
    };
    markdown = [
      `Discord throughput: ${MESSAGES} agent messages to ${CONVERSATIONS} conversations, ${WORKERS} worker processes, ` +
        `the Discord fake at ${GLOBAL_LIMIT} requests/s per bot (${String(context.date)}, load average at start ` +
        `${(context.loadAverageAtStart as number[]).join(' ')}).`,
      '',
      markdownTable(
        [
          'messages',
          'delivered',
          'lost',
          'duplicated',
          'sustained posts/s',
          'share of 50/s',
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
            sustained.toFixed(1),
            `${((sustained / GLOBAL_LIMIT) * 100).toFixed(1)}%`,
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

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
