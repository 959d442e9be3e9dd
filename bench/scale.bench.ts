import { type BenchSystem, startBenchSystem } from './system/bench-system';
import { drain, driveLoad } from './system/load';
import { percentile, RelayLedger } from './system/relay-ledger';
import { endContext, markdownTable, mib, ms, runContext, writeResults } from './system/report';
import { StatsWindow, type WindowStats } from './system/window-stats';
import { addUsers, bringToAgents, poll } from './system/world';

/*
 * `npm run bench -- scale`: 10,000 open conversations on this machine, 70% with the FAQ bot and 30% with an agent,
 * each opened through the protocol paths (a DM through the gateway; for the agent's, a request for a person and the
 * agent accepting in Flex). Measured: how long opening them takes and at what rate, the worker's and Temporal's CPU
 * and memory, then with all of them open: an idle stretch (what open conversations cost by themselves, and
 * reconciliation's Twilio requests per minute per 1,000 conversations with an agent, webhooks healthy), and relay
 * latency under light traffic.
 *
 * Discord's global limit is raised for the run (as Discord does for large bots on request): at 50/s, opening
 * 10,000 conversations would measure Discord's limit (discord-throughput does that), not flexcord.
 *
 * The worker's workflow cache is sized to hold every open conversation (WORKER_MAX_CACHED_WORKFLOWS, default here:
 * the number of conversations), so the worker's memory is what open conversations cost, not what evictions save;
 * its V8 heap limit is raised to match (the workflow thread's heap is sized like the main one's).
 *
 * Settings: SCALE_CONVERSATIONS (10000), SCALE_AGENT_SHARE (0.3), SCALE_OPEN_RATE (new bot conversations per
 * second, 40), SCALE_IDLE_SECONDS (180), SCALE_RELAY_RATE (20 msg/s), SCALE_RELAY_SECONDS (60),
 * SCALE_CACHED_WORKFLOWS (the worker's cache, SCALE_CONVERSATIONS + 100), SCALE_HEAP_MIB (the worker's V8 heap
 * limit, 8192).
 */
const TOTAL = Number(process.env.SCALE_CONVERSATIONS ?? 10_000);
const AGENT_SHARE = Number(process.env.SCALE_AGENT_SHARE ?? 0.3);
const OPEN_RATE = Number(process.env.SCALE_OPEN_RATE ?? 40);
const IDLE_SECONDS = Number(process.env.SCALE_IDLE_SECONDS ?? 180);
const RELAY_RATE = Number(process.env.SCALE_RELAY_RATE ?? 20);
const RELAY_SECONDS = Number(process.env.SCALE_RELAY_SECONDS ?? 60);
const CACHED_WORKFLOWS = Number(process.env.SCALE_CACHED_WORKFLOWS ?? TOTAL + 100);
const HEAP_MIB = Number(process.env.SCALE_HEAP_MIB ?? 8192);
const DISCORD_GLOBAL_LIMIT = 1000;

interface Stage {
  name: string;
  conversations?: number;
  /** Conversations open at the end of the stage. */
  open?: number;
  ms: number;
  stats: WindowStats;
  extra?: Record<string, unknown>;
}

async function main() {
  const context = runContext();
  const agents = Math.round(TOTAL * AGENT_SHARE);
  const bots = TOTAL - agents;
  const bench = await startBenchSystem({
    name: 'scale',
    discord: { globalRateLimit: { limit: DISCORD_GLOBAL_LIMIT, windowMs: 1000 } },
    env: {
      DISCORD_GLOBAL_RATE_LIMIT: String(DISCORD_GLOBAL_LIMIT),
      WORKER_MAX_CACHED_WORKFLOWS: String(CACHED_WORKFLOWS),
      NODE_OPTIONS: `--max-old-space-size=${HEAP_MIB}`,
    },
  });
  const { fakes } = bench;
  const stages: Stage[] = [];
  const window = () => new StatsWindow(bench.flexcord.all, { temporal: () => bench.temporal.pid });
  let relay: Record<string, unknown> | undefined;
  try {
    // 1. Bot conversations: each user asks a question in their DM; open once the bot's answer is in the DM.
    const botUsers = addUsers(fakes, bots, 'scale-bot-');
    let w = window();
    let start = Date.now();
    await openBotConversations(bench, botUsers);
    stages.push({
      name: `open ${bots} bot conversations`,
      conversations: bots,
      open: bots,
      ms: Date.now() - start,
      stats: w.end(),
    });
    log(stages.at(-1)!);

    // 2. Agent conversations: a request for a person, then an agent accepts in Flex.
    const agentUsers = addUsers(fakes, agents, 'scale-agent-');
    w = window();
    start = Date.now();
    const conversations = await bringToAgents(fakes, agentUsers, { concurrency: 40, timeoutMs: 1_800_000 });
    stages.push({
      name: `open ${agents} agent conversations`,
      conversations: agents,
      open: TOTAL,
      ms: Date.now() - start,
      stats: w.end(),
    });
    log(stages.at(-1)!);

    // 3. All open, nobody writing: the cost of open conversations, and reconciliation's reads of Twilio.
    const twilioBefore = fakes.twilio.requests.length;
    w = window();
    start = Date.now();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idleMs = Date.now() - start;
    const idleRequests = fakes.twilio.requests.slice(twilioBefore);
    stages.push({
      name: `idle ${IDLE_SECONDS} s with ${TOTAL} open`,
      ms: idleMs,
      stats: w.end(),
      extra: twilioRates(idleRequests, idleMs, agents),
    });
    log(stages.at(-1)!);

    // 4. Light relay traffic in 200 of the agent conversations while all are open.
    const sample = conversations.slice(0, Math.min(200, conversations.length));
    const ledger = new RelayLedger('scale');
    const relayTwilioBefore = fakes.twilio.requests.length;
    w = window();
    start = Date.now();
    await driveLoad({
      fakes,
      conversations: sample,
      ledger,
      ratePerSecond: RELAY_RATE,
      durationMs: RELAY_SECONDS * 1000,
      label: 'relay',
    });
    await drain(fakes, sample, ledger, () => true, { quietMs: 60_000 });
    const relayMs = Date.now() - start;
    const arrivals = ledger.arrivals(fakes.discord, fakes.twilio, sample);
    const directions = Object.fromEntries(
      (['user_to_agent', 'agent_to_user'] as const).map((d) => {
        const { latenciesMs, orderExamples: _examples, ...count } = ledger.count(arrivals, d);
        return [
          d,
          {
            ...count,
            p50: percentile(latenciesMs, 50),
            p95: percentile(latenciesMs, 95),
            p99: percentile(latenciesMs, 99),
          },
        ];
      }),
    );
    relay = { rate: RELAY_RATE, seconds: RELAY_SECONDS, conversations: sample.length, directions };
    stages.push({
      name: `relay ${RELAY_RATE} msg/s in ${sample.length} conversations, ${TOTAL} open`,
      ms: relayMs,
      stats: w.end(),
      extra: twilioRates(fakes.twilio.requests.slice(relayTwilioBefore), relayMs, agents),
    });
    log(stages.at(-1)!);
  } finally {
    await bench.stop();
  }
  await report(context, agents, bots, stages, relay);
}

/** Users ask at OPEN_RATE per second; resolves when every one has the bot's answer in their DM. */
async function openBotConversations(bench: BenchSystem, users: string[]) {
  const { discord } = bench.fakes;
  const dmOf = new Map(users.map((u) => [u, discord.dmChannelFor(u).id]));
  const answered = (userId: string) =>
    discord
      .messagesIn(dmOf.get(userId)!)
      .some((m) => m.author.id === discord.botUser.id && (m.components?.length ?? 0) > 0);
  const started = Date.now();
  let sent = 0;
  while (sent < users.length) {
    const due = Math.min(users.length, Math.floor(((Date.now() - started) * OPEN_RATE) / 1000) + 1);
    for (; sent < due; sent++) discord.userSendsDm(users[sent]!, 'How do I reset my password?');
    await new Promise((r) => setTimeout(r, 20));
  }
  const pending = new Set(users);
  await poll(
    () => {
      for (const u of pending) if (answered(u)) pending.delete(u);
      return pending.size === 0;
    },
    `answers for ${users.length} bot conversations`,
    3_600_000,
  );
}

/** Twilio requests per minute in a stretch, all and reads only (reconciliation reads; relays write), per 1,000. */
function twilioRates(requests: { method: string }[], windowMs: number, agentConversations: number) {
  const perMinute = (n: number) => (n * 60_000) / windowMs;
  const reads = requests.filter((r) => r.method === 'GET').length;
  return {
    twilioRequestsPerMinute: Number(perMinute(requests.length).toFixed(1)),
    twilioReadsPerMinute: Number(perMinute(reads).toFixed(1)),
    twilioReadsPerMinutePer1000: Number(
      ((perMinute(reads) * 1000) / Math.max(1, agentConversations)).toFixed(1),
    ),
  };
}

function log(stage: Stage) {
  console.log(JSON.stringify(stage));
}

async function report(
  context: Record<string, unknown>,
  agents: number,
  bots: number,
  stages: Stage[],
  relay: Record<string, unknown> | undefined,
) {
  const procs = ['worker', 'temporal', 'bot', 'webhooks', 'harness'];
  const markdown = [
    `Scale: ${bots + agents} open conversations (${bots} with the bot, ${agents} with an agent), Discord's global limit ` +
      `raised to ${DISCORD_GLOBAL_LIMIT}/s, the worker's workflow cache ${CACHED_WORKFLOWS} and V8 heap limit ` +
      `${HEAP_MIB} MiB (${String(context.date)}, load average at start ` +
      `${(context.loadAverageAtStart as number[]).join(' ')}).`,
    '',
    markdownTable(
      [
        'stage',
        'time',
        'conversations/s',
        ...procs.map((p) => `${p} CPU (cores)`),
        'worker memory',
        'per open conversation',
        'Temporal memory',
      ],
      stages.map((s) => [
        s.name,
        ms(s.ms),
        s.conversations ? ((s.conversations * 1000) / s.ms).toFixed(1) : '',
        ...procs.map((p) => (s.stats.cpuCores[p] ?? 0).toFixed(2)),
        mib((s.stats.rssMiB.worker ?? 0) * 2 ** 20),
        `${(((s.stats.rssMiB.worker ?? 0) * 1024) / (s.open ?? TOTAL)).toFixed(0)} KiB`,
        mib((s.stats.rssMiB.temporal ?? 0) * 2 ** 20),
      ]),
    ),
    '',
    markdownTable(
      ['stage', 'Twilio requests/min', 'reads/min', `reads/min per 1,000 agent conversations`],
      stages
        .filter((s) => s.extra)
        .map((s) => [
          s.name,
          String(s.extra!.twilioRequestsPerMinute),
          String(s.extra!.twilioReadsPerMinute),
          String(s.extra!.twilioReadsPerMinutePer1000),
        ]),
    ),
    '',
    relay
      ? markdownTable(
          ['direction', 'messages', 'p50', 'p95', 'p99', 'lost', 'duplicated'],
          Object.entries(
            relay.directions as Record<
              string,
              { sent: number; p50: number; p95: number; p99: number; lost: number; duplicated: number }
            >,
          ).map(([d, v]) => [
            d.replace(/_/g, ' '),
            v.sent,
            ms(v.p50),
            ms(v.p95),
            ms(v.p99),
            v.lost,
            v.duplicated,
          ]),
        )
      : '',
  ].join('\n');
  const files = await writeResults(
    'scale',
    {
      context: { ...context, ...endContext() },
      agents,
      bots,
      cachedWorkflows: CACHED_WORKFLOWS,
      heapMiB: HEAP_MIB,
      stages,
      relay,
    },
    markdown,
  );
  console.log(`\n${markdown}\n\n${files.join('\n')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
