import path from 'node:path';
import { directForwarder } from './system/direct-world';
import { startBenchSystem } from './system/bench-system';
import { drain, driveLoad, type LoadResult } from './system/load';
import { type BenchConversation, type DeliveryCount, percentile, RelayLedger } from './system/relay-ledger';
import { endContext, markdownTable, ms, runContext, writeResults } from './system/report';
import { type RoleProcess } from './system/role-process';
import { StatsWindow, type WindowStats } from './system/window-stats';
import { addUsers, bringToAgents } from './system/world';

/*
 * `npm run bench -- relay`: users with an agent write both ways at 50, 100 and 200 messages/s in total (half each
 * way) for a fixed time, through flexcord (bot, webhooks and worker processes, a Temporal dev server) and, in the
 * same run on the same fakes, through a direct forwarder without Temporal (the seed's design). Latency is measured
 * at the fakes: from the user's Discord message to the message in the Flex conversation, and from the agent's Flex
 * message to the bot's post in the DM. Aim: flexcord's p99 within 2× of the direct forwarder's at 200 msg/s, and
 * nothing lost.
 *
 * Settings: BENCH_USERS (200), BENCH_RATES (50,100,200), BENCH_SECONDS per rate step (30), BENCH_KEEP=1 keeps the
 * temporary directory with every process's log.
 */
const USERS = Number(process.env.BENCH_USERS ?? 200);
const RATES = (process.env.BENCH_RATES ?? '50,100,200').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
/**
 * Discord grants large bots a higher global limit on request; at 200 msg/s half the messages are posts to Discord
 * (100/s), over the default 50/s. Both designs get the same raised limit, from the fake and in their clients.
 */
const DISCORD_GLOBAL_LIMIT = 400;
const AIM_RATIO = 2;
const DISTRIBUTION_POINTS = [1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 97, 98, 99, 99.5, 99.9, 100];

interface StepResult {
  design: 'flexcord' | 'direct';
  load: LoadResult;
  directions: Record<
    string,
    Omit<DeliveryCount, 'latenciesMs'> & {
      p50: number;
      p95: number;
      p99: number;
      /** [percentile, ms]: the latency distribution, for the chart. */
      distribution: [number, number][];
    }
  >;
  stats: WindowStats;
}

async function main() {
  const context = runContext();
  const {
    dir,
    temporal,
    fakes,
    flexcord: system,
    stop,
  } = await startBenchSystem({
    name: 'relay',
    discord: { globalRateLimit: { limit: DISCORD_GLOBAL_LIMIT, windowMs: 1000 } },
    env: { DISCORD_GLOBAL_RATE_LIMIT: String(DISCORD_GLOBAL_LIMIT) },
  });
  let direct: RoleProcess | undefined;
  const steps: StepResult[] = [];
  try {
    const setupStart = Date.now();
    const flexcordUsers = addUsers(fakes, USERS, 'relay-user-');
    const flexcordConversations = await bringToAgents(fakes, flexcordUsers, { concurrency: 20 });
    console.log(`${USERS} conversations with an agent in ${ms(Date.now() - setupStart)}`);
    const directUsers = addUsers(fakes, USERS, 'direct-user-');
    const forwarder = await directForwarder(fakes, directUsers, {
      logDir: path.join(dir, 'logs'),
      firstIndex: USERS,
    });
    direct = forwarder.process;

    const ledger = new RelayLedger('relay');
    const monitored = [...system.all, forwarder.process];
    const temporalPid = { temporal: () => temporal.pid };
    const runStep = async (
      design: 'flexcord' | 'direct',
      rate: number,
      conversations: BenchConversation[],
    ) => {
      const label = `${design}@${rate}`;
      // A few seconds at the step's rate first, not counted: connection pools, JIT, caches.
      await driveLoad({
        fakes,
        conversations,
        ledger,
        ratePerSecond: rate,
        durationMs: 3000,
        label: `warmup:${label}`,
      });
      await drain(fakes, conversations, ledger, (s) => s.label === `warmup:${label}`, { quietMs: 15_000 });
      const window = new StatsWindow(monitored, temporalPid);
      const load = await driveLoad({
        fakes,
        conversations,
        ledger,
        ratePerSecond: rate,
        durationMs: SECONDS * 1000,
        label,
      });
      await drain(fakes, conversations, ledger, (s) => s.label === label);
      const stats = window.end();
      const arrivals = ledger.arrivals(fakes.discord, fakes.twilio, conversations);
      const directions: StepResult['directions'] = {};
      for (const direction of ['user_to_agent', 'agent_to_user'] as const) {
        const { latenciesMs, ...count } = ledger.count(arrivals, direction, (s) => s.label === label);
        directions[direction] = {
          ...count,
          p50: percentile(latenciesMs, 50),
          p95: percentile(latenciesMs, 95),
          p99: percentile(latenciesMs, 99),
          distribution: DISTRIBUTION_POINTS.map((p) => [p, percentile(latenciesMs, p)]),
        };
      }
      const step = { design, load, directions, stats };
      steps.push(step);
      console.log(JSON.stringify({ step: label, directions, achievedRate: load.achievedRate, stats }));
    };

    for (const rate of RATES) {
      // The two designs share the bot's token, so one gateway client at a time receives the users' messages.
      await system.bot.stop();
      await forwarder.process.start();
      await runStep('direct', rate, forwarder.conversations);
      await forwarder.process.stop();
      await system.bot.start();
      await runStep('flexcord', rate, flexcordConversations);
    }
  } finally {
    await direct?.kill();
    await stop();
  }
  await report({ ...context, ...endContext() }, steps);
}

async function report(context: Record<string, unknown>, steps: StepResult[]) {
  const rows: (string | number)[][] = [];
  for (const s of steps) {
    for (const [direction, d] of Object.entries(s.directions)) {
      rows.push([
        s.design,
        s.load.targetRate,
        direction.replace(/_/g, ' '),
        d.sent,
        ms(d.p50),
        ms(d.p95),
        ms(d.p99),
        d.lost,
        d.duplicated,
        d.outOfOrder,
      ]);
    }
  }
  const verdicts: { rate: number; direction: string; ratio: number; lost: number; met: boolean }[] = [];
  for (const rate of RATES) {
    const f = steps.find((s) => s.design === 'flexcord' && s.load.targetRate === rate);
    const d = steps.find((s) => s.design === 'direct' && s.load.targetRate === rate);
    if (!f || !d) continue;
    for (const direction of Object.keys(f.directions)) {
      const ratio = f.directions[direction]!.p99 / Math.max(1, d.directions[direction]!.p99);
      const lost = f.directions[direction]!.lost;
      verdicts.push({
        rate,
        direction,
        ratio: Number(ratio.toFixed(2)),
        lost,
        met: ratio <= AIM_RATIO && lost === 0,
      });
    }
  }
  const top = Math.max(...RATES);
  const aimMet = verdicts.filter((v) => v.rate === top).every((v) => v.met) && verdicts.length > 0;
  const cpuRows = steps.map((s) => [
    s.design,
    s.load.targetRate,
    s.load.achievedRate,
    ...['worker', 'bot', 'webhooks', 'direct-forwarder', 'temporal', 'harness'].map((p) =>
      s.stats.cpuCores[p] === undefined ? '' : s.stats.cpuCores[p]!.toFixed(2),
    ),
    s.stats.harnessEventLoopP99Ms,
    s.stats.loadAverage1m,
  ]);
  const markdown = [
    `Relay latency, ${USERS} users with an agent, ${SECONDS} s per step, measured at the fakes ` +
      `(${String(context.date)}, load average at start ${(context.loadAverageAtStart as number[]).join(' ')}).`,
    '',
    markdownTable(
      [
        'design',
        'msg/s (both ways)',
        'direction',
        'messages',
        'p50',
        'p95',
        'p99',
        'lost',
        'duplicated',
        'out of order',
      ],
      rows,
    ),
    '',
    markdownTable(
      ['msg/s', 'direction', 'p99 flexcord ÷ direct', 'flexcord lost', `aim (≤ ${AIM_RATIO}×, 0 lost)`],
      verdicts.map((v) => [
        v.rate,
        v.direction.replace(/_/g, ' '),
        v.ratio,
        v.lost,
        v.met ? 'met' : 'missed',
      ]),
    ),
    '',
    'CPU per process during each step (cores; 1.00 = one core busy the whole step):',
    '',
    markdownTable(
      [
        'design',
        'msg/s',
        'achieved',
        'worker',
        'bot',
        'webhooks',
        'direct',
        'temporal',
        'harness (fakes + load)',
        'harness loop p99 ms',
        'load avg',
      ],
      cpuRows,
    ),
  ].join('\n');
  const files = await writeResults(
    'relay',
    { context, users: USERS, seconds: SECONDS, steps, verdicts, aimMet },
    markdown,
  );
  console.log(`\n${markdown}\n\n${files.join('\n')}`);
  process.exitCode = aimMet ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
