import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import autocannon from 'autocannon';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { SUPPORT_WORKFLOW_TYPE } from '../src/shared/support-messages';
import type { StartSupportInput, SupportTimings } from '../src/shared/support-types';
import { freePort } from '../test/support/free-port';
import { endContext, markdownTable, runContext, writeResults } from './system/report';
import { RoleProcess, until } from './system/role-process';
import { TemporalServer } from './system/temporal-server';
import { StatsWindow } from './system/window-stats';

/*
 * `npm run bench -- webhooks`: signed onMessageAdded webhooks at 200 requests/s to flexcord's webhooks role (its own
 * process, `flexcord start --role webhooks`: signature check, parsing, de-duplication, and the Temporal signal to a
 * running conversation before it answers), and the same requests to a bare express endpoint in its own process that
 * only parses the body. Rounds alternate between the two. Aim: flexcord's p99 at most 3× the bare endpoint's, and no
 * errors. Issue 4's absolute goal (p99 < 50 ms) is reported beside it.
 *
 * Settings: BENCH_RATE (200), BENCH_DURATION seconds per round (15), BENCH_ROUNDS (2).
 */
const RATE = Number(process.env.BENCH_RATE ?? 200);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const AIM_RATIO = 3;
const ABSOLUTE_P99_GOAL_MS = 50;
const WORKFLOWS = 50;
const AUTH_TOKEN = 'bench0123456789abcdef0123456789ab';

function benchInput(workflowId: string): StartSupportInput {
  return {
    user: { guildId: 'bench', userId: workflowId, userName: 'bench user' },
    timings: {
      inactivitySeconds: 3600,
      inactivityReminderSeconds: 3000,
      agentSlaSeconds: 600,
    } as SupportTimings,
    preferThread: false,
  };
}

interface Round {
  target: 'flexcord' | 'bare';
  requests: number;
  achievedRate: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function main() {
  const context = runContext();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-bench-webhooks-'));
  const temporal = await TemporalServer.create(path.join(dir, 'temporal'), { inMemory: true });
  const [flexPort, barePort] = [await freePort(), await freePort()];
  const publicBaseUrl = `http://127.0.0.1:${flexPort}`;
  const webhooks = new RoleProcess({
    role: 'webhooks',
    logDir: path.join(dir, 'logs'),
    env: {
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      FLEXCORD_DATA_DIR: path.join(dir, 'data'),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'bench-no-worker',
      HTTP_PORT: String(flexPort),
      HTTP_HOST: '127.0.0.1',
      PUBLIC_BASE_URL: publicBaseUrl,
      TWILIO_ACCOUNT_SID: 'AC3fc0cc76aafd1188de52b3a172d6492e',
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    },
    ready: () =>
      until(
        async () => (await fetch(`${publicBaseUrl}/readyz`).catch(() => undefined))?.ok === true,
        'webhooks',
      ),
  });
  const bare = new RoleProcess({
    role: 'bare',
    name: 'bare-express',
    script: path.join(__dirname, 'support', 'bare-express-server.ts'),
    logDir: path.join(dir, 'logs'),
    env: { PORT: String(barePort) },
    ready: (p) => until(() => p.logContains('bare endpoint ready'), 'the bare endpoint'),
  });
  const rounds: Round[] = [];
  let stats: ReturnType<StatsWindow['end']> | undefined;
  try {
    await temporal.start();
    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection });
    // Running conversations to signal. No worker is needed: a signal is accepted (durably recorded) by the server;
    // a worker would only add CPU load from processing them on this same machine.
    const workflowIds = Array.from({ length: WORKFLOWS }, (_, i) => `support-bench-${i}`);
    await Promise.all(
      workflowIds.map((workflowId) =>
        client.workflow.start(SUPPORT_WORKFLOW_TYPE, {
          workflowId,
          taskQueue: 'bench-no-worker',
          args: [benchInput(workflowId)],
        }),
      ),
    );
    await connection.close();
    await Promise.all([webhooks.start(), bare.start()]);

    let n = 0;
    const nextRequest = () => {
      n += 1;
      const workflowId = workflowIds[n % WORKFLOWS]!;
      const pathAndQuery = `/twilio/conversations?workflowId=${workflowId}`;
      const params = {
        AccountSid: 'AC3fc0cc76aafd1188de52b3a172d6492e',
        EventType: 'onMessageAdded',
        Source: 'SDK',
        ClientIdentity: 'alice_40example_2Ecom',
        ConversationSid: 'CHb462345312134df7f0e365ff46248b49',
        MessageSid: `IM${n.toString(16).padStart(32, '0')}`,
        Index: String(n),
        DateCreated: new Date().toISOString(),
        Body: `Reply number ${n}: please try restarting the launcher.`,
        Author: 'alice_40example_2Ecom',
        ParticipantSid: 'MB33fd77e999db45fed1fddbfa0e330d92',
        Attributes: '{}',
      };
      return {
        method: 'POST' as const,
        path: pathAndQuery,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          // Signed for flexcord's public URL; the bare endpoint ignores it, so both get the same bytes.
          'x-twilio-signature': getExpectedTwilioSignature(
            AUTH_TOKEN,
            `${publicBaseUrl}${pathAndQuery}`,
            params,
          ),
        },
        body: new URLSearchParams(params).toString(),
      };
    };
    const targets = { flexcord: publicBaseUrl, bare: `http://127.0.0.1:${barePort}` } as const;
    const load = (url: string, seconds: number) =>
      autocannon({
        url,
        connections: 20,
        duration: seconds,
        overallRate: RATE,
        requests: [{ setupRequest: nextRequest }],
      });
    // Warm-up: JIT, connection pools, the first signals.
    for (const url of Object.values(targets)) await load(url, 3);
    const window = new StatsWindow([webhooks, bare], { temporal: () => temporal.pid });
    for (let r = 0; r < ROUNDS; r++) {
      for (const target of ['bare', 'flexcord'] as const) {
        const result = await load(targets[target], DURATION_S);
        rounds.push({
          target,
          requests: result.requests.total,
          achievedRate: result.requests.average,
          latencyMs: {
            p50: result.latency.p50,
            p90: result.latency.p90,
            p99: result.latency.p99,
            max: result.latency.max,
          },
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      }
    }
    stats = window.end();
  } finally {
    await webhooks.stop();
    await bare.stop();
    await temporal.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const mean = (target: Round['target']) => {
    const p99s = rounds.filter((r) => r.target === target).map((r) => r.latencyMs.p99);
    return p99s.reduce((a, b) => a + b, 0) / Math.max(1, p99s.length);
  };
  const flexcordP99 = mean('flexcord');
  const bareP99 = mean('bare');
  const ratio = flexcordP99 / Math.max(1, bareP99);
  const clean = rounds.every((r) => r.non2xx === 0 && r.errors === 0 && r.timeouts === 0);
  const met = clean && ratio <= AIM_RATIO;
  const markdown = [
    `Signed webhooks at ${RATE} requests/s, ${ROUNDS} rounds of ${DURATION_S} s each, alternating (${String(context.date)}, ` +
      `load average at start ${(context.loadAverageAtStart as number[]).join(' ')}).`,
    '',
    markdownTable(
      [
        'round',
        'endpoint',
        'requests',
        'achieved/s',
        'p50',
        'p90',
        'p99',
        'max',
        'errors (non-2xx, errors, timeouts)',
      ],
      rounds.map((r, i) => [
        Math.floor(i / 2) + 1,
        r.target === 'flexcord' ? 'flexcord webhooks role (signature + signal)' : 'bare express (parse only)',
        r.requests,
        r.achievedRate,
        `${r.latencyMs.p50} ms`,
        `${r.latencyMs.p90} ms`,
        `${r.latencyMs.p99} ms`,
        `${r.latencyMs.max} ms`,
        `${r.non2xx}, ${r.errors}, ${r.timeouts}`,
      ]),
    ),
    '',
    `p99 flexcord ÷ bare: ${ratio.toFixed(2)} (aim ≤ ${AIM_RATIO}): ${met ? 'met' : 'missed'}. ` +
      `Issue 4's absolute goal, p99 < ${ABSOLUTE_P99_GOAL_MS} ms: ${flexcordP99 < ABSOLUTE_P99_GOAL_MS ? 'met' : 'missed'} ` +
      `(${flexcordP99.toFixed(0)} ms). CPU (cores): ${Object.entries(stats?.cpuCores ?? {})
        .map(([p, c]) => `${p} ${c}`)
        .join(', ')}.`,
  ].join('\n');
  const files = await writeResults(
    'webhooks',
    { context: { ...context, ...endContext() }, rate: RATE, rounds, flexcordP99, bareP99, ratio, met, stats },
    markdown,
  );
  console.log(`\n${markdown}\n\n${files.join('\n')}`);
  process.exitCode = met ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
