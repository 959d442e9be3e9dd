import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/*
 * A worker run from the sources bundles its workflow code with webpack at start: seconds of CPU on every
 * `npm start`, every role restart and every test that starts flexcord. The bundle depends only on the sources and
 * the installed packages, so it is kept under the cache directory, named by a hash of both, and reused until one of
 * them changes. The key is deliberately coarse (every file under src/, the lockfile, the tracing choice): a change
 * anywhere rebundles, which costs seconds; a stale bundle would run old workflow code, which costs correctness.
 */

const KEEP = 6;

export interface BundleCacheOptions {
  /** Where bundles are kept (`<FLEXCORD_CACHE_DIR or ~/.cache/flexcord>/workflow-bundles`). */
  dir: string;
  /** The folder holding package.json, package-lock.json and src/. */
  projectRoot: string;
  traced: boolean;
  /** Builds the bundle's code when the cache has none for these sources. */
  build: () => Promise<string>;
}

/** The path of a bundle for the current sources: the cached one, or one just built and cached. */
export async function cachedWorkflowBundle(
  options: BundleCacheOptions,
): Promise<{ codePath: string; reused: boolean }> {
  const key = sourcesKey(options.projectRoot, options.traced);
  const codePath = path.join(options.dir, `workflow-bundle-${key}.js`);
  if (fs.existsSync(codePath)) {
    touch(codePath);
    return { codePath, reused: true };
  }
  const code = await options.build();
  fs.mkdirSync(options.dir, { recursive: true });
  // Written aside and renamed: a worker starting at the same moment never reads half a bundle.
  const partial = `${codePath}.${process.pid}.partial`;
  fs.writeFileSync(partial, code);
  fs.renameSync(partial, codePath);
  prune(options.dir);
  return { codePath, reused: false };
}

/** A hash of everything a bundle is made from. */
export function sourcesKey(projectRoot: string, traced: boolean): string {
  const hash = createHash('sha256');
  hash.update(`flexcord-workflow-bundle:1:${traced ? 'traced' : 'plain'}\0`);
  for (const file of ['package.json', 'package-lock.json']) {
    const full = path.join(projectRoot, file);
    hash.update(`${file}\0`);
    if (fs.existsSync(full)) hash.update(fs.readFileSync(full));
  }
  for (const file of filesUnder(path.join(projectRoot, 'src'))) {
    hash.update(`${path.relative(projectRoot, file)}\0`);
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 32);
}

function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...filesUnder(full));
    else if (entry.isFile()) files.push(full);
  }
  return files.sort();
}

/** Marks a bundle as recently used, so pruning keeps it. */
function touch(file: string): void {
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    // Read-only cache: the bundle is still good to use.
  }
}

/**
 * Keeps the few most recently used bundles (a branch switch back and forth reuses them), removes the rest, and
 * whatever a worker killed while writing left behind.
 */
function prune(dir: string): void {
  const names = fs.readdirSync(dir);
  for (const name of names.filter((n) => n.endsWith('.partial'))) {
    const file = path.join(dir, name);
    if (Date.now() - fs.statSync(file).mtimeMs > 3_600_000) fs.rmSync(file, { force: true });
  }
  const bundles = names
    .filter((name) => /^workflow-bundle-[0-9a-f]+\.js$/.test(name))
    .map((name) => ({ file: path.join(dir, name), used: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { file } of bundles.slice(KEEP)) fs.rmSync(file, { force: true });
}
