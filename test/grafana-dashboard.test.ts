import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createObservability, type Observability } from '../src/observability';
import { startMetricsServer } from '../src/observability/metrics-server';
import { FakeDiscord } from '../src/sandbox/discord';
import { eventually, type FlexcordSystem, startFlexcordSystem } from './support/e2e/flexcord-system';
import { conversationThroughEveryRole } from './support/e2e/metrics-conversation';
import { sdkMetricsUrl } from './support/global-fixtures';
import { parsePrometheusText, type Sample } from './support/prometheus-text';
import { promqlNeeds } from './support/promql-names';

/*
 * The Grafana dashboard under deploy/ is only worth something if its queries name what flexcord really exports.
 * Its PromQL is read with Prometheus's own grammar and held against a real scrape: the roles run as
 * `flexcord start` wires them (one metrics registry, the Temporal SDK's exporter served through the same
 * endpoint), one support conversation goes through them against the Discord and Twilio fakes, with a rate limit
 * on each side, and then /metrics is read the way Prometheus reads it.
 */

const root = path.resolve(__dirname, '..');
const DASHBOARD = path.join(root, 'deploy/grafana/dashboards/flexcord.json');
/** Series Prometheus records itself for every target, which no scrape contains. */
const PROMETHEUS_OWN = new Set(['up']);

interface Panel {
  id?: number;
  title?: string;
  type?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}
interface Dashboard {
  uid?: string;
  panels: Panel[];
  templating?: { list: { name: string; type: string; query?: string | { query?: string } }[] };
}

interface Query {
  where: string;
  expr: string;
  /** `label_values(metric, label)`: the label the variable lists. */
  listsLabel?: string;
}

/** Every PromQL expression in the dashboard: panel targets (rows included) and query variables. */
function dashboardQueries(dashboard: Dashboard): Query[] {
  const queries: Query[] = [];
  const visit = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? [])
        if (target.expr) queries.push({ where: `panel "${panel.title}"`, expr: target.expr });
      visit(panel.panels ?? []);
    }
  };
  visit(dashboard.panels);
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
    const labelValues = /^label_values\((.+),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(query.trim());
    if (labelValues)
      queries.push({
        where: `variable $${variable.name}`,
        expr: labelValues[1]!,
        listsLabel: labelValues[2]!,
      });
    else queries.push({ where: `variable $${variable.name}`, expr: query });
  }
  return queries;
}

/** The labels Prometheus adds to every series of a target: job, instance and the targets' own labels. */
function targetLabels(): Set<string> {
  const config = parse(fs.readFileSync(path.join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
    scrape_configs: { static_configs: { labels?: Record<string, string> }[] }[];
  };
  const labels = new Set(['job', 'instance']);
  for (const job of config.scrape_configs)
    for (const group of job.static_configs)
      for (const label of Object.keys(group.labels ?? {})) labels.add(label);
  return labels;
}

/** Each metric name in a scrape with the label names its samples carry. */
function exported(samples: Sample[]): Map<string, Set<string>> {
  const metrics = new Map<string, Set<string>>();
  for (const sample of samples) {
    const labels = metrics.get(sample.name) ?? new Set<string>();
    for (const label of Object.keys(sample.labels)) labels.add(label);
    metrics.set(sample.name, labels);
  }
  return metrics;
}

describe('Grafana dashboard: reading names out of PromQL', () => {
  it('finds the metrics and the labels an expression relies on, and nothing else', () => {
    const needs = promqlNeeds(
      'histogram_quantile(0.95, sum by (le, activity_type) (rate(temporal_activity_execution_latency_bucket{task_queue=~"$queue"}[$__rate_interval])))' +
        ' / on (role) group_left max(up{job="flexcord"})',
    );
    assert.deepEqual([...needs.metrics].sort(), ['temporal_activity_execution_latency_bucket', 'up']);
    assert.deepEqual(needs.labels.map((l) => `${l.label}:${l.metrics.join('+')}`).sort(), [
      'activity_type:temporal_activity_execution_latency_bucket',
      'job:up',
      'le:temporal_activity_execution_latency_bucket',
      'role:temporal_activity_execution_latency_bucket+up',
      'task_queue:temporal_activity_execution_latency_bucket',
    ]);
  });

  it('refuses an expression Prometheus would not parse', () => {
    assert.throws(() => promqlNeeds('sum by (route (rate(flexcord_relays_total[5m]))'), /does not parse/);
  });
});

describe('Grafana dashboard: layout', () => {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as Dashboard;
  const all = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...all(p.panels ?? [])]);
  const panels = all(dashboard.panels);

  it('has a fixed uid, unique panel ids, and every query on the Prometheus data source variable', () => {
    assert.equal(dashboard.uid, 'flexcord');
    const ids = panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, 'panel ids repeat');
    const variable = dashboard.templating?.list.find((v) => v.type === 'datasource');
    assert.equal(variable?.query, 'prometheus');
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      assert.ok(panel.title, `panel ${panel.id} has no title`);
      assert.ok(panel.targets?.length, `"${panel.title}" has no query`);
      assert.equal(panel.datasource?.uid, `\${${variable!.name}}`, `"${panel.title}" data source`);
      for (const target of panel.targets)
        assert.equal(target.datasource?.uid, panel.datasource.uid, `"${panel.title}" query data source`);
    }
  });

  it("lays every panel on Grafana's 24-column grid without overlaps", () => {
    const placed = panels.filter((p) => p.gridPos);
    assert.equal(placed.length, panels.length, 'a panel without a position');
    for (const { title, gridPos: g } of placed) {
      assert.ok(
        g!.x >= 0 && g!.w > 0 && g!.x + g!.w <= 24 && g!.h > 0 && g!.y >= 0,
        `"${title}" is off the grid`,
      );
    }
    for (const [i, a] of placed.entries())
      for (const b of placed.slice(i + 1)) {
        const [p, q] = [a.gridPos!, b.gridPos!];
        const overlap = p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h;
        assert.ok(!overlap, `"${a.title}" and "${b.title}" overlap`);
      }
  });
});

describe('Grafana dashboard: its queries name what flexcord exports', function () {
  this.timeout(180_000);
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as Dashboard;
  const queries = dashboardQueries(dashboard);
  let discord: FakeDiscord;
  let system: FlexcordSystem | undefined;
  let observability: Observability;
  let metrics: Map<string, Set<string>>;

  before(async () => {
    discord = await new FakeDiscord().start();
    const acme = discord.addGuild('Acme');
    const ana = discord.addUser('ana').id;
    discord.addMember(acme.guild.id, ana);
    observability = createObservability({ processMetrics: true });
    system = await startFlexcordSystem(
      discord,
      { DISCORD_GUILD_ID: acme.guild.id, SUPPORT_AGENT_SLA_SECONDS: '3600' },
      observability,
    );
    const server = await startMetricsServer({
      port: 0,
      host: '127.0.0.1',
      registry: observability.metrics.registry,
      sdkMetricsUrl: sdkMetricsUrl(),
    });
    try {
      // A knowledge-base answer, a miss, then a person: Twilio calls, TaskRouter and Conversations webhooks;
      // Discord answers the agent's relay with a 429 once, Twilio the user's: each relay is tried again.
      await conversationThroughEveryRole(discord, system, acme.guild.id, ana, { rateLimited: true });
      // /helpme while the conversation is open: an update to the workflow.
      await discord.waitForReply(discord.runSlashCommand(ana, acme.supportChannel.id, 'helpme'));

      metrics = await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
        const scraped = exported(parsePrometheusText(await res.text()));
        assert.ok(scraped.has('flexcord_conversations'), 'conversations by phase counted');
        assert.ok(scraped.has('flexcord_twilio_rate_limited_total'), 'the Twilio 429 counted');
        assert.ok(scraped.has('flexcord_discord_rate_limited_total'), 'the Discord 429 counted');
        assert.ok(scraped.has('flexcord_updates_sent_total'), '/helpme counted');
        return scraped;
      }, 40_000);
    } finally {
      await server.close();
    }
  });

  after(async () => {
    await system?.stop();
    await discord?.stop();
  });

  it('has panels for each thing the issue asks for, each with a query that parses', () => {
    assert.ok(queries.length >= 20, `only ${queries.length} queries`);
    for (const query of queries) {
      const needs = promqlNeeds(query.expr);
      assert.ok(needs.metrics.size > 0, `${query.where} reads no metric: ${query.expr}`);
    }
  });

  it('names only metrics the roles export, the Temporal SDK’s included', () => {
    const missing = queries.flatMap((query) =>
      [...promqlNeeds(query.expr).metrics]
        .filter((metric) => !metrics.has(metric) && !PROMETHEUS_OWN.has(metric))
        .map((metric) => `${metric} (${query.where})`),
    );
    assert.deepEqual(missing, [], `metrics no role exports:\n${missing.join('\n')}`);
  });

  it('selects and groups only by labels those metrics carry', () => {
    const added = targetLabels();
    const wrong: string[] = [];
    for (const query of queries) {
      const needs = promqlNeeds(query.expr);
      const labels = [...needs.labels];
      if (query.listsLabel)
        labels.push({ label: query.listsLabel, metrics: [...needs.metrics], where: 'label_values' });
      for (const { label, metrics: names, where } of labels) {
        if (added.has(label)) continue;
        for (const metric of names)
          if (!PROMETHEUS_OWN.has(metric) && !metrics.get(metric)?.has(label))
            wrong.push(`${label} on ${metric} (${query.where}: ${where})`);
      }
    }
    assert.deepEqual(wrong, [], `labels the metrics do not carry:\n${wrong.join('\n')}`);
  });

  it('shows every metric flexcord itself declares', async () => {
    const used = new Set(queries.flatMap((q) => [...promqlNeeds(q.expr).metrics]));
    const own = (await observability.metrics.registry.getMetricsAsJSON())
      .map((m) => m.name)
      .filter((name) => name.startsWith('flexcord_'));
    assert.ok(own.length >= 10, `only ${own.length} flexcord metrics declared`);
    assert.deepEqual(
      own.filter((name) => !used.has(name)),
      [],
      'flexcord metrics missing from the dashboard',
    );
  });
});
