/*
 * Two small chart kinds as standalone SVG text, for docs/PERFORMANCE.md. Hand-written rather than a charting
 * library: the charts are a few rectangles, lines and labels, the SVG must come out the same on every run (no
 * browser, no fonts measured, no random ids), and nothing here reaches the internet.
 */

export interface BarSeries {
  name: string;
  values: number[];
}

export interface LineSeries {
  name: string;
  points: { x: number; y: number }[];
}

const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];
const WIDTH = 760;
const HEIGHT = 380;
const MARGIN = { top: 48, right: 24, bottom: 84, left: 72 };

/** A grouped bar chart: one group per category, one bar per series, the value above each bar. */
export function barChartSvg(options: {
  title: string;
  categories: string[];
  series: BarSeries[];
  unit: string;
}): string {
  const { title, categories, series, unit } = options;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = niceCeiling(Math.max(1, ...series.flatMap((s) => s.values)));
  const groupW = plotW / Math.max(1, categories.length);
  const barW = (groupW * 0.8) / Math.max(1, series.length);
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const parts = [...frame(title), ...yAxis(top, y, unit)];
  // Value labels only while they fit above the bars.
  const labelled = barW >= 14;
  categories.forEach((category, ci) => {
    const gx = MARGIN.left + ci * groupW + groupW * 0.1;
    series.forEach((s, si) => {
      const v = s.values[ci] ?? 0;
      const x = gx + si * barW;
      parts.push(
        `<rect x="${f(x)}" y="${f(y(v))}" width="${f(Math.max(1, barW - 2))}" height="${f(MARGIN.top + plotH - y(v))}" fill="${colour(si)}"/>`,
      );
      if (labelled)
        parts.push(
          `<text x="${f(x + barW / 2)}" y="${f(y(v) - 3)}" text-anchor="middle" font-size="10">${tick(v)}</text>`,
        );
    });
    const every = Math.ceil(categories.length / 30);
    if (ci % every === 0)
      parts.push(
        `<text x="${f(gx + groupW * 0.4)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${esc(category)}</text>`,
      );
  });
  parts.push(
    ...legend(
      series.map((s) => s.name),
      'rect',
    ),
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

/** Lines through points on numeric axes (x from its smallest to its largest value), with a legend. */
export function lineChartSvg(options: {
  title: string;
  series: LineSeries[];
  xLabel: string;
  unit: string;
  /** Guide lines across the plot, e.g. a limit. */
  guides?: { y: number; label: string }[];
}): string {
  const { title, series, xLabel, unit } = options;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const xMin = Math.min(...xs);
  const xMax = Math.max(xMin + 1, ...xs);
  const top = niceCeiling(
    Math.max(
      1,
      ...series.flatMap((s) => s.points.map((p) => p.y)),
      ...(options.guides ?? []).map((g) => g.y),
    ),
  );
  const x = (v: number) => MARGIN.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const parts = [...frame(title), ...yAxis(top, y, unit)];
  for (let i = 0; i <= 5; i++) {
    const v = xMin + ((xMax - xMin) / 5) * i;
    parts.push(`<text x="${f(x(v))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${tick(v)}</text>`);
  }
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 34}" text-anchor="middle">${esc(xLabel)}</text>`,
  );
  for (const g of options.guides ?? [])
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${f(y(g.y))}" y2="${f(y(g.y))}" stroke="#e15759" stroke-dasharray="6 4"/>`,
      `<text x="${WIDTH - MARGIN.right - 4}" y="${f(y(g.y) - 4)}" text-anchor="end" fill="#e15759">${esc(g.label)}</text>`,
    );
  series.forEach((s, si) => {
    const d = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${f(x(p.x))} ${f(y(p.y))}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${colour(si)}" stroke-width="2"/>`);
  });
  parts.push(
    ...legend(
      series.map((s) => s.name),
      'line',
    ),
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

function frame(title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
  ];
}

function yAxis(top: number, y: (v: number) => number, unit: string): string[] {
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (top / 4) * i;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${f(y(v) + 4)}" text-anchor="end">${tick(v)}</text>`,
    );
  }
  const mid = MARGIN.top + plotH / 2;
  parts.push(
    `<text x="18" y="${mid}" transform="rotate(-90 18 ${mid})" text-anchor="middle">${esc(unit)}</text>`,
  );
  return parts;
}

function legend(names: string[], mark: 'rect' | 'line'): string[] {
  const parts: string[] = [];
  const perRow = 4;
  names.forEach((name, i) => {
    const lx = MARGIN.left + (i % perRow) * 170;
    const ly = HEIGHT - 30 + Math.floor(i / perRow) * 16;
    parts.push(
      mark === 'rect'
        ? `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colour(i)}"/>`
        : `<line x1="${lx}" x2="${lx + 12}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour(i)}" stroke-width="3"/>`,
      `<text x="${lx + 16}" y="${ly}">${esc(name)}</text>`,
    );
  });
  return parts;
}

function colour(i: number): string {
  return COLOURS[i % COLOURS.length]!;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function f(n: number): string {
  return n.toFixed(1);
}

function niceCeiling(v: number): number {
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= v) return m * exp;
  return 10 * exp;
}

function tick(v: number): string {
  if (Math.abs(v) >= 1000) return `${(v / 1000).toFixed(Math.abs(v) >= 10_000 ? 0 : 1)}k`;
  return Math.abs(v) >= 10 || v === 0 ? String(Math.round(v)) : v.toFixed(1);
}
