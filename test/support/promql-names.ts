import { parser } from '@prometheus-io/lezer-promql';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** What one PromQL expression asks of the metrics it reads. */
export interface PromqlNeeds {
  /** Every metric name a selector reads. */
  metrics: Set<string>;
  /**
   * Label names the expression relies on, each with the metrics that must carry it: a selector's matchers need the
   * label on that selector's metric; `by (...)`, `without (...)`, `on (...)` and `ignoring (...)` need it on every
   * metric read inside the aggregation or on either side of the operator.
   */
  labels: { label: string; metrics: string[]; where: string }[];
}

/** Grafana's own interval variables, which are not PromQL until Grafana replaces them. */
function withGrafanaIntervals(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g, '5m');
}

function childrenNamed(node: SyntaxNode, name: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling)
    if (child.name === name) found.push(child);
  return found;
}

function descendants(node: SyntaxNode, name: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const cursor = node.cursor();
  const end = node.to;
  do {
    if (cursor.from >= end) break;
    if (cursor.name === name) found.push(cursor.node);
  } while (cursor.next());
  return found;
}

/** The label names listed in a `by`, `without`, `on` or `ignoring` clause. */
function groupingLabels(clause: SyntaxNode, text: (n: SyntaxNode) => string): string[] {
  return childrenNamed(clause, 'GroupingLabels').flatMap((g) =>
    descendants(g, 'LabelName').map((n) => text(n)),
  );
}

/**
 * Reads metric and label names out of a PromQL expression with Prometheus's own grammar (the one its web UI uses),
 * so functions, keywords, durations and strings are never mistaken for names. An expression that does not parse is
 * an error: Grafana would show an error on that panel.
 */
export function promqlNeeds(expression: string): PromqlNeeds {
  const expr = withGrafanaIntervals(expression);
  const tree = parser.parse(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  tree.iterate({
    enter(n) {
      if (n.type.isError)
        throw new Error(`does not parse as PromQL at ${n.from}: …${expr.slice(n.from, n.from + 30)}…`);
    },
  });

  const metricOf = (selector: SyntaxNode) => {
    const identifier = childrenNamed(selector, 'Identifier')[0];
    if (!identifier) throw new Error(`a selector without a metric name: ${text(selector)}`);
    return text(identifier);
  };
  const metricsUnder = (node: SyntaxNode) => [...new Set(descendants(node, 'VectorSelector').map(metricOf))];

  const needs: PromqlNeeds = { metrics: new Set(), labels: [] };
  for (const selector of descendants(tree.topNode, 'VectorSelector')) {
    const metric = metricOf(selector);
    needs.metrics.add(metric);
    for (const matchers of childrenNamed(selector, 'LabelMatchers'))
      for (const label of descendants(matchers, 'LabelName'))
        needs.labels.push({ label: text(label), metrics: [metric], where: text(selector) });
  }
  for (const aggregate of descendants(tree.topNode, 'AggregateExpr')) {
    const metrics = metricsUnder(aggregate);
    for (const modifier of childrenNamed(aggregate, 'AggregateModifier'))
      for (const label of groupingLabels(modifier, text))
        needs.labels.push({ label, metrics, where: text(modifier) });
  }
  for (const binary of descendants(tree.topNode, 'BinaryExpr')) {
    const metrics = metricsUnder(binary);
    for (const matching of childrenNamed(binary, 'MatchingModifierClause'))
      for (const label of groupingLabels(matching, text))
        needs.labels.push({ label, metrics, where: text(matching) });
  }
  return needs;
}
