import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedWorkflowBundle } from '../src/worker/workflow-bundle-cache';

/** A project tree with a lockfile and sources, and a bundle cache beside it. */
function project(): { root: string; dir: string; write: (file: string, text: string) => void } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-bundle-cache-'));
  const root = path.join(base, 'project');
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('package.json', '{"name":"p"}');
  write('package-lock.json', '{"lockfileVersion":3}');
  write('src/workflows/index.ts', 'export const a = 1;');
  write('src/shared/words.ts', 'export const hello = "hi";');
  return { root, dir: path.join(base, 'cache'), write };
}

describe('the workflow bundle cache (a worker run from the sources)', () => {
  it('bundles once for unchanged sources and reuses the bundle at the next start', async () => {
    const { root, dir } = project();
    let builds = 0;
    const build = async () => `// bundle ${++builds}`;
    const first = await cachedWorkflowBundle({ dir, projectRoot: root, traced: false, build });
    const second = await cachedWorkflowBundle({ dir, projectRoot: root, traced: false, build });
    assert.equal(builds, 1);
    assert.deepEqual([first.reused, second.reused], [false, true]);
    assert.equal(second.codePath, first.codePath);
    assert.equal(fs.readFileSync(second.codePath, 'utf8'), '// bundle 1');
  });

  it('bundles again when any source file, the lockfile or the tracing choice changes, or a file is added', async () => {
    const { root, dir, write } = project();
    const bundles: string[] = [];
    const start = async (traced = false) => {
      const { codePath, reused } = await cachedWorkflowBundle({
        dir,
        projectRoot: root,
        traced,
        build: async () => `// bundle ${bundles.length + 1}`,
      });
      if (!reused) bundles.push(codePath);
      return fs.readFileSync(codePath, 'utf8');
    };
    await start();
    write('src/shared/words.ts', 'export const hello = "hello";');
    assert.equal(await start(), '// bundle 2');
    write('package-lock.json', '{"lockfileVersion":3,"packages":{}}');
    assert.equal(await start(), '// bundle 3');
    assert.equal(await start(true), '// bundle 4');
    write('src/workflows/new-file.ts', 'export {};');
    assert.equal(await start(), '// bundle 5');
    assert.equal(new Set(bundles).size, 5, 'each bundle is kept under its own name');
    // Back to a tree seen before (a branch switched back): its bundle is still there.
    fs.rmSync(path.join(root, 'src/workflows/new-file.ts'));
    assert.equal(await start(), '// bundle 3');
  });

  it('keeps the six most recently used bundles and removes what a killed worker left half written', async () => {
    const { root, dir, write } = project();
    fs.mkdirSync(dir, { recursive: true });
    const leftover = path.join(dir, 'workflow-bundle-0123.js.999.partial');
    fs.writeFileSync(leftover, '// half');
    const old = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(leftover, old, old);
    for (let i = 0; i < 8; i++) {
      write('src/shared/words.ts', `export const n = ${i};`);
      await cachedWorkflowBundle({ dir, projectRoot: root, traced: false, build: async () => `// ${i}` });
      // mtime resolution: each bundle is clearly newer than the one before.
      const past = new Date(Date.now() - (8 - i) * 1000);
      for (const name of fs.readdirSync(dir)) {
        if (fs.readFileSync(path.join(dir, name), 'utf8') === `// ${i}`)
          fs.utimesSync(path.join(dir, name), past, past);
      }
    }
    const kept = fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name), 'utf8'));
    assert.deepEqual(kept.sort(), ['// 2', '// 3', '// 4', '// 5', '// 6', '// 7']);
  });
});
