import { barChartSvg, lineChartSvg } from './svg-chart';

/*
 * The charts of docs/PERFORMANCE.md, drawn only from a benchmark's saved JSON (docs/perf/<name>.json), so they can
 * be redrawn without running anything (`npx tsx bench/charts.ts`). Only where a picture says more than the table:
 * latency by rate and its distribution (relay), posts per second against the limit (discord-throughput), and the
 * worst delay per fault (chaos).
 */

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  /** [percentile, ms] pairs of the latency distribution. */
  distribution?: [number, number][];
}

interface RelayJson {
  users: number;
  steps: { design: string; load: { targetRate: number }; directions: Record<string, Percentiles> }[];
}

interface ThroughputJson {
  workers: number;
  postsPerSecond: number[];
}

interface ChaosJson {
  rows: { fault: string; worstDelayMs: number; p99Ms: number }[];
}

const DIRECTIONS: Record<string, string> = {
  user_to_agent: 'Discord → Flex',
  agent_to_user: 'Flex → Discord',
};

export function chartsFor(name: string, json: unknown): Record<string, string> {
  if (name === 'relay') return relayCharts(json as RelayJson);
  if (name === 'discord-throughput') return throughputCharts(json as ThroughputJson);
  if (name === 'chaos') return chaosCharts(json as ChaosJson);
  return {};
}

function relayCharts(json: RelayJson): Record<string, string> {
  const charts: Record<string, string> = {};
  const rates = [...new Set(json.steps.map((s) => s.load.targetRate))].sort((a, b) => a - b);
  const top = rates.at(-1);
  for (const [direction, label] of Object.entries(DIRECTIONS)) {
    const series = ['direct', 'flexcord'].flatMap((design) =>
      (['p50', 'p99'] as const).map((p) => ({
        name: `${design} ${p}`,
        values: rates.map(
          (rate) =>
            json.steps.find((s) => s.design === design && s.load.targetRate === rate)?.directions[
              direction
            ]?.[p] ?? 0,
        ),
      })),
    );
    charts[`${direction}-by-rate`] = barChartSvg({
      title: `Relay latency ${label}, ${json.users} users with an agent`,
      categories: rates.map((r) => `${r} msg/s`),
      series,
      unit: 'ms',
    });
    const curves = ['direct', 'flexcord'].flatMap((design) => {
      const d = json.steps.find((s) => s.design === design && s.load.targetRate === top)?.directions[
        direction
      ];
      return d?.distribution ? [{ name: design, points: d.distribution.map(([x, y]) => ({ x, y })) }] : [];
    });
    if (curves.length > 0)
      charts[`${direction}-distribution`] = lineChartSvg({
        title: `Relay latency ${label} at ${top} msg/s: the share of messages within a time`,
        series: curves,
        xLabel: 'percentile of messages',
        unit: 'ms',
      });
  }
  return charts;
}

function throughputCharts(json: ThroughputJson): Record<string, string> {
  return {
    rate: lineChartSvg({
      title: `Discord posts per second, ${json.workers} worker processes`,
      series: [{ name: 'posts that reached Discord', points: json.postsPerSecond.map((y, x) => ({ x, y })) }],
      xLabel: 'seconds since the first post',
      unit: 'posts per second',
      guides: [{ y: 50, label: "Discord's global limit, 50/s" }],
    }),
  };
}

function chaosCharts(json: ChaosJson): Record<string, string> {
  return {
    delay: barChartSvg({
      title: 'Chaos: message delay per fault (both directions)',
      categories: json.rows.map((r) =>
        r.fault
          .replace(/\s*\(.*$/, '')
          .split(' ')
          .slice(0, 2)
          .join(' '),
      ),
      series: [
        { name: 'p99 delay', values: json.rows.map((r) => r.p99Ms / 1000) },
        { name: 'worst delay', values: json.rows.map((r) => r.worstDelayMs / 1000) },
      ],
      unit: 'seconds from sent to delivered',
    }),
  };
}
