import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { machineLoad } from './process-stats';

export const RESULTS_DIR = path.resolve(__dirname, '../results');

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

/**
 * Writes `<name>.json` (everything measured), `<name>.md` (the tables) and any SVG charts to bench/results/,
 * replacing the previous run's: the folder holds the latest run of each benchmark, which docs/PERFORMANCE.md quotes.
 */
export function writeResults(
  name: string,
  json: unknown,
  markdown: string,
  charts: Record<string, string> = {},
): string[] {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const files = [path.join(RESULTS_DIR, `${name}.json`), path.join(RESULTS_DIR, `${name}.md`)];
  fs.writeFileSync(files[0]!, `${JSON.stringify(json, null, 2)}\n`);
  fs.writeFileSync(files[1]!, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  for (const [chart, svg] of Object.entries(charts)) {
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

export interface ChartSeries {
  name: string;
  values: number[];
}

const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];

/**
 * A grouped bar chart as a standalone SVG (no library: a few rectangles and labels), one group per category and
 * one bar per series, with the value above each bar.
 */
export function barChartSvg(options: {
  title: string;
  categories: string[];
  series: ChartSeries[];
  unit: string;
}): string {
  const { title, categories, series, unit } = options;
  const width = 760;
  const height = 360;
  const margin = { top: 48, right: 16, bottom: 64, left: 64 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const top = niceCeiling(max);
  const groupW = plotW / Math.max(1, categories.length);
  const barW = (groupW * 0.8) / Math.max(1, series.length);
  const y = (v: number) => margin.top + plotH - (v / top) * plotH;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (top / 4) * i;
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${margin.left - 6}" y="${y(v) + 4}" text-anchor="end">${formatTick(v)}</text>`,
    );
  }
  parts.push(
    `<text x="16" y="${margin.top + plotH / 2}" transform="rotate(-90 16 ${margin.top + plotH / 2})" text-anchor="middle">${esc(unit)}</text>`,
  );
  categories.forEach((category, ci) => {
    const gx = margin.left + ci * groupW + groupW * 0.1;
    series.forEach((s, si) => {
      const v = s.values[ci] ?? 0;
      const x = gx + si * barW;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(margin.top + plotH - y(v)).toFixed(1)}" fill="${COLOURS[si % COLOURS.length]}"/>`,
        `<text x="${(x + barW / 2).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" text-anchor="middle" font-size="10">${formatTick(v)}</text>`,
      );
    });
    parts.push(
      `<text x="${(gx + groupW * 0.4).toFixed(1)}" y="${margin.top + plotH + 18}" text-anchor="middle">${esc(category)}</text>`,
    );
  });
  series.forEach((s, si) => {
    const x = margin.left + si * 150;
    const ly = height - 18;
    parts.push(
      `<rect x="${x}" y="${ly - 10}" width="12" height="12" fill="${COLOURS[si % COLOURS.length]}"/>`,
      `<text x="${x + 16}" y="${ly}">${esc(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function niceCeiling(v: number): number {
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= v) return m * exp;
  return 10 * exp;
}

function formatTick(v: number): string {
  if (v >= 1000) return `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k`;
  return v >= 10 || v === 0 ? String(Math.round(v)) : v.toFixed(1);
}
