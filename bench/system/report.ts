import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'prettier';
import { chartsFor } from './charts';
import { machineLoad } from './process-stats';

/** Where each benchmark's latest run lives: docs/PERFORMANCE.md quotes these files and shows their charts. */
export const RESULTS_DIR = path.resolve(__dirname, '../../docs/perf');

/** When and where a run happened: results on a shared 2-core machine mean little without the load beside them. */
export function runContext(): Record<string, unknown> {
  return {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
    ...machineLoad(),
  };
}

/** The load average when a run ended, beside the one at its start (the machine is shared). */
export function endContext(): Record<string, unknown> {
  return {
    endedAt: new Date().toISOString(),
    loadAverageAtEnd: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/**
 * Writes `<name>.json` (everything measured, formatted as the repository's prettier would) and `<name>.md` (the
 * tables) to docs/perf/, then the SVG charts drawn from that JSON (bench/system/charts.ts), replacing the previous
 * run's: the folder holds the latest run of each benchmark.
 */
export async function writeResults(name: string, json: unknown, markdown: string): Promise<string[]> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const files = [path.join(RESULTS_DIR, `${name}.json`), path.join(RESULTS_DIR, `${name}.md`)];
  fs.writeFileSync(
    files[0]!,
    await format(JSON.stringify(json), { parser: 'json', printWidth: 110, trailingComma: 'all' }),
  );
  fs.writeFileSync(files[1]!, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  for (const [chart, svg] of Object.entries(chartsFor(name, json))) {
    const file = path.join(RESULTS_DIR, `${name}-${chart}.svg`);
    fs.writeFileSync(file, svg);
    files.push(file);
  }
  return files;
}

export function markdownTable(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c)).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}
