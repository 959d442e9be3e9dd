import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/*
 * `npm run bench`: runs every bench/*.bench.ts in its own process, one after another (the machine is shared, so
 * benchmarks never overlap), then lists the ones that failed or missed their aim. `npm run bench -- kb` runs only
 * the files whose name contains "kb".
 */
const dir = __dirname;
const filter = process.argv[2];
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();

const tsxCli = require.resolve('tsx/cli');
const failed: string[] = [];
for (const file of files) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, [tsxCli, path.join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(file);
}
console.log(
  `\n${files.length - failed.length} benchmarks met their aim, ${failed.length} did not${failed.length ? `: ${failed.join(', ')}` : ''}`,
);
process.exitCode = failed.length > 0 ? 1 : 0;
