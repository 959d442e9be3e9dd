import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR } from './system/report';

/*
 * `npx tsx bench/performance-doc.ts`: copies each benchmark's latest tables (docs/perf/<name>.md) into
 * docs/PERFORMANCE.md between its markers, `<!-- perf:<name> -->` and `<!-- /perf:<name> -->`, so the prose stays
 * hand-written and the figures are always the ones the last run wrote.
 */
const DOC = path.resolve(__dirname, '../docs/PERFORMANCE.md');
const MARKERS = /(<!-- perf:([a-z0-9-]+) -->\n)[\s\S]*?(<!-- \/perf:\2 -->)/g;

const doc = fs.readFileSync(DOC, 'utf8');
const updated = doc.replace(MARKERS, (whole, open: string, name: string, close: string) => {
  const file = path.join(RESULTS_DIR, `${name}.md`);
  if (!fs.existsSync(file)) return whole;
  return `${open}\n${fs.readFileSync(file, 'utf8').trim()}\n\n${close}`;
});
fs.writeFileSync(DOC, updated);
console.log(`updated ${DOC}`);
