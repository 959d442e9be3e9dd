import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { endContext, markdownTable, runContext, writeResults } from './system/report';
import { TemporalServer } from './system/temporal-server';

/*
 * `npm run bench -- workflow-cache`: what a cached support conversation costs a worker, with the workflow bundle a
 * worker had before (Temporal's tracing interceptor always in it) and the one a worker without tracing has now,
 * side by side in one run against one Temporal dev server. Each side is its own process (its resident memory is
 * what is measured) opening the same conversations with in-memory activities; memory is read at the start, with
 * half and with all of them cached, so a cost that grows faster than the count shows as a larger figure per
 * conversation in the second half. Aim: the bundle without the interceptor costs at most half per conversation.
 *
 * Settings: CACHE_CONVERSATIONS (600).
 */
const CONVERSATIONS = Number(process.env.CACHE_CONVERSATIONS ?? 600);
const AIM_RATIO = 0.5;

interface Sample {
  open: number;
  rssMiB: number;
  cpuSeconds: number;
  at: number;
}

function runSide(address: string, traced: boolean): Promise<Sample[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'support/workflow-cache-worker.ts')],
      {
        env: {
          ...process.env,
          ADDR: address,
          CONVERSATIONS: String(CONVERSATIONS),
          TRACED: traced ? '1' : '0',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`workflow-cache worker (traced=${traced}) exited ${code}`));
      resolve(
        out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Sample),
      );
    });
  });
}

async function main() {
  const context = runContext();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-workflow-cache-'));
  const temporal = await TemporalServer.create(dir, { inMemory: true });
  await temporal.start();
  const sides: { name: string; traced: boolean; samples: Sample[] }[] = [];
  try {
    for (const [name, traced] of [
      ['before: tracing interceptor in every bundle', true],
      ['now: no interceptor without tracing', false],
    ] as const) {
      const samples = await runSide(temporal.address, traced);
      console.log(name, JSON.stringify(samples));
      sides.push({ name, traced, samples });
    }
  } finally {
    await temporal.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const perConversation = (samples: Sample[], from: number, to: number) =>
    ((samples[to]!.rssMiB - samples[from]!.rssMiB) * 1024) / (samples[to]!.open - samples[from]!.open);
  const rows = sides.map(({ name, samples }) => {
    const all = perConversation(samples, 0, 2);
    return {
      name,
      baselineMiB: samples[0]!.rssMiB,
      allMiB: samples[2]!.rssMiB,
      firstHalfKiB: perConversation(samples, 0, 1),
      secondHalfKiB: perConversation(samples, 1, 2),
      allKiB: all,
      cpuMsPerConversation:
        ((samples[2]!.cpuSeconds - samples[0]!.cpuSeconds) * 1000) / (samples[2]!.open - samples[0]!.open),
    };
  });
  const ratio = rows[1]!.allKiB / rows[0]!.allKiB;
  const met = ratio <= AIM_RATIO;
  const markdown = [
    `Workflow cache: ${CONVERSATIONS} support conversations cached in one worker process, each opened by a question the ` +
      `bot answers, in-memory activities (${String(context.date)}, load average at start ` +
      `${(context.loadAverageAtStart as number[]).join(' ')}).`,
    '',
    markdownTable(
      [
        'workflow bundle',
        'worker memory, 1 open',
        `with ${CONVERSATIONS}`,
        'per conversation, first half',
        'second half',
        'all',
        'worker CPU per conversation opened',
      ],
      rows.map((r) => [
        r.name,
        `${r.baselineMiB.toFixed(0)} MiB`,
        `${r.allMiB.toFixed(0)} MiB`,
        `${r.firstHalfKiB.toFixed(0)} KiB`,
        `${r.secondHalfKiB.toFixed(0)} KiB`,
        `${r.allKiB.toFixed(0)} KiB`,
        `${r.cpuMsPerConversation.toFixed(1)} ms`,
      ]),
    ),
    '',
    `Now ÷ before, memory per cached conversation: ${ratio.toFixed(2)} (aim ≤ ${AIM_RATIO}): ${met ? 'met' : 'missed'}.`,
  ].join('\n');
  const files = await writeResults(
    'workflow-cache',
    { context: { ...context, ...endContext() }, conversations: CONVERSATIONS, sides, rows, ratio, met },
    markdown,
  );
  console.log(`\n${markdown}\n\n${files.join('\n')}`);
  process.exitCode = met ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(2);
});
