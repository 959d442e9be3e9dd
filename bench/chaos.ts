import { startBenchSystem } from './system/bench-system';
import { type ChaosPhase, type ChaosResult, runChaos, sleep } from './system/chaos-run';
import { endContext, markdownTable, ms, runContext, writeResults } from './system/report';
import { addUsers, bringToAgents } from './system/world';

/*
 * `npm run chaos`: 1,000 messages each way across 100 conversations with an agent while, in turn, the worker, the
 * bot, the webhooks role and the Temporal dev server are killed with SIGKILL and started again (Temporal on the same
 * database file), and the bot is stopped for 60 s while users keep writing; all along, the fakes fail 20% of
 * Discord and Twilio requests (429, 5xx, no answer, answer lost) and lose 5% of Twilio's webhooks. Counted at the
 * fakes: every message delivered exactly once and in order, every conversation in its expected phase at the end,
 * every case consistent with what was relayed.
 *
 * Settings: CHAOS_CONVERSATIONS (100), CHAOS_MESSAGES (2000, both ways together), CHAOS_SEED (1),
 * CHAOS_PHASE_SECONDS (30), CHAOS_BOT_DOWN_SECONDS (60), BENCH_KEEP=1 keeps the logs.
 */
const CONVERSATIONS = Number(process.env.CHAOS_CONVERSATIONS ?? 100);
const MESSAGES = Number(process.env.CHAOS_MESSAGES ?? 2000);
const SEED = Number(process.env.CHAOS_SEED ?? 1);
const PHASE_SECONDS = Number(process.env.CHAOS_PHASE_SECONDS ?? 30);
const BOT_DOWN_SECONDS = Number(process.env.CHAOS_BOT_DOWN_SECONDS ?? 60);
/** How long a crashed process stays down before its supervisor starts it again. */
const RESTART_DELAY_MS = 2000;

async function main() {
  const context = runContext();
  const bench = await startBenchSystem({
    name: 'chaos',
    temporalDb: true,
    // Reconciliation every 15 to 60 s rather than 60 to 480 s: the lost webhooks are found within the run.
    env: { SUPPORT_FLEX_RECONCILE_SECONDS: '15', SUPPORT_FLEX_RECONCILE_MAX_SECONDS: '60' },
  });
  const { fakes, flexcord, temporal } = bench;
  let result: ChaosResult | undefined;
  let failedStarts: string[] = [];
  let failed = false;
  try {
    const users = addUsers(fakes, CONVERSATIONS, 'chaos-user-');
    const conversations = await bringToAgents(fakes, users, { concurrency: 20, timeoutMs: 600_000 });
    console.log(`${CONVERSATIONS} conversations with an agent`);
    const crash = (what: { kill(): Promise<void>; startSupervised(): Promise<void> }) => async () => {
      await what.kill();
      await sleep(RESTART_DELAY_MS);
      await what.startSupervised();
    };
    const phases: ChaosPhase[] = [
      { fault: 'none (the fakes’ faults only)', seconds: PHASE_SECONDS },
      {
        fault: 'worker killed (SIGKILL), restarted',
        seconds: PHASE_SECONDS,
        inject: crash(flexcord.worker),
        faultAfterSeconds: 5,
      },
      {
        fault: 'bot killed (SIGKILL), restarted',
        seconds: PHASE_SECONDS,
        inject: crash(flexcord.bot),
        faultAfterSeconds: 5,
      },
      {
        fault: 'webhooks killed (SIGKILL), restarted',
        seconds: PHASE_SECONDS,
        inject: crash(flexcord.webhooks),
        faultAfterSeconds: 5,
      },
      {
        fault: 'Temporal killed (SIGKILL), restarted on its database',
        seconds: PHASE_SECONDS,
        inject: crash({ kill: () => temporal.kill(), startSupervised: () => temporal.start() }),
        faultAfterSeconds: 5,
      },
      {
        fault: `bot stopped for ${BOT_DOWN_SECONDS} s`,
        seconds: BOT_DOWN_SECONDS + 10,
        inject: async () => {
          await flexcord.bot.stop();
          await sleep(BOT_DOWN_SECONDS * 1000);
          await flexcord.bot.startSupervised();
        },
        faultAfterSeconds: 5,
      },
    ];
    result = await runChaos({
      fakes,
      flexcord,
      temporalAddress: temporal.address,
      conversations,
      phases,
      messages: MESSAGES,
      faultRate: 0.2,
      webhookDropRate: 0.05,
      seed: SEED,
      checkEndState: true,
      log: (line) => console.log(line),
    });
    failedStarts = flexcord.all.flatMap((p) => p.failedStarts);
  } catch (err) {
    failed = true;
    console.error(err);
  } finally {
    await bench.stop({ keep: failed || process.env.BENCH_KEEP === '1' });
  }
  if (!result) process.exit(2);
  await report(context, result, failedStarts);
}

async function report(context: Record<string, unknown>, result: ChaosResult, failedStarts: string[]) {
  const rows = [...result.rows, result.total].map((r) => [
    r.fault,
    r.messages,
    r.lost,
    r.duplicated,
    r.outOfOrder,
    ms(r.worstDelayMs),
  ]);
  const met =
    result.total.lost === 0 &&
    result.total.duplicated === 0 &&
    result.total.outOfOrder === 0 &&
    result.wrongPhase.length === 0 &&
    result.inconsistentCases.length === 0;
  const markdown = [
    `Chaos: ${CONVERSATIONS} conversations, ${MESSAGES} messages (both ways), 20% of REST requests failing and 5% of ` +
      `webhooks lost throughout, seed ${SEED} (${String(context.date)}, load average at start ` +
      `${(context.loadAverageAtStart as number[]).join(' ')}).`,
    '',
    markdownTable(['fault', 'messages', 'lost', 'duplicated', 'out of order', 'worst delay'], rows),
    '',
    `Injected by the fakes: ${Object.entries(result.faultCounts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; webhooks lost ${result.webhooksDropped}.`,
    '',
    `Starts that failed (the harness started the role again, as a supervisor would): ${failedStarts.length}.`,
    ...failedStarts.map((f) => `- ${f}`),
    '',
    `End state: ${result.wrongPhase.length} conversations in the wrong phase, ${result.inconsistentCases.length} ` +
      `inconsistent cases.`,
    ...(result.total.orderExamples.length > 0 ? ['', 'Out of order, for example:'] : []),
    ...result.total.orderExamples.slice(0, 10).map((e) => `- ${e}`),
    ...(result.total.lostExamples.length > 0 ? ['', 'Lost:'] : []),
    ...result.total.lostExamples.slice(0, 10).map((e) => `- ${e}`),
    ...result.wrongPhase.slice(0, 10).map((w) => `- ${w}`),
    ...result.inconsistentCases.slice(0, 10).map((c) => `- ${c}`),
  ].join('\n');
  const files = await writeResults(
    'chaos',
    {
      context: { ...context, ...endContext() },
      conversations: CONVERSATIONS,
      messages: MESSAGES,
      seed: SEED,
      ...result,
      failedStarts,
      met,
    },
    markdown,
  );
  console.log(`\n${markdown}\n\n${files.join('\n')}`);
  process.exitCode = met ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
