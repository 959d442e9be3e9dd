import fs from 'node:fs';
import path from 'node:path';
import { chartsFor } from './system/charts';
import { RESULTS_DIR } from './system/report';

/*
 * `npx tsx bench/charts.ts`: redraws every chart in docs/perf/ from the saved JSON of the latest runs (a benchmark
 * draws its own when it finishes; this is for a changed chart, without running the benchmarks again).
 */
for (const file of fs.readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json'))) {
  const name = file.replace(/\.json$/, '');
  const json: unknown = JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, file), 'utf8'));
  for (const [chart, svg] of Object.entries(chartsFor(name, json))) {
    const out = path.join(RESULTS_DIR, `${name}-${chart}.svg`);
    fs.writeFileSync(out, svg);
    console.log(out);
  }
}
