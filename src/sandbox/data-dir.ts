import fs from 'node:fs';
import path from 'node:path';

/*
 * The sandbox keeps three stores in one folder: the fakes' world (Discord and Twilio state), the embedded Temporal
 * server's database and the case database. They only make sense together: workflows name Discord channels and
 * Twilio conversations that exist in the world file. So they are created, kept and deleted as one.
 */

export const WORLD_FILE = 'world.json';
export const TEMPORAL_DB = 'temporal.db';
export const CASES_DB = 'cases.db';
/** Present while a new sandbox's first start runs: if it is still there, that start never finished. */
export const FIRST_START_MARKER = 'first-start.pending';

export class SandboxMismatchError extends Error {
  override name = 'SandboxMismatchError';
}

export function sandboxDir(baseDataDir: string): string {
  return path.join(baseDataDir, 'sandbox');
}

export function resetSandboxDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * `fresh`: nothing there yet (or only what a first start interrupted by Ctrl-C or a crash left, which holds nothing
 * anyone made and is cleared); `restore`: all stores from one earlier run. Throws on a mix.
 */
export function inspectSandboxDir(dir: string): 'fresh' | 'restore' {
  if (fs.existsSync(path.join(dir, FIRST_START_MARKER))) {
    resetSandboxDir(dir);
    return 'fresh';
  }
  const stores = [WORLD_FILE, TEMPORAL_DB, CASES_DB];
  const present = stores.filter((f) => fs.existsSync(path.join(dir, f)));
  if (present.length === 0) return 'fresh';
  if (present.length === stores.length) return 'restore';
  const missing = stores.filter((f) => !present.includes(f));
  throw mismatch(
    dir,
    `${missing.join(' and ')} missing while ${present.join(' and ')} ${present.length === 1 ? 'is' : 'are'} there`,
  );
}

export function mismatch(dir: string, what: string): SandboxMismatchError {
  return new SandboxMismatchError(
    `the sandbox data in ${dir} does not fit together: ${what}. Its conversations would point at Discord channels ` +
      `and Twilio conversations that no longer exist. Start clean with \`flexcord sandbox --reset\` (deletes ${dir}).`,
  );
}

/** Written to a temporary file and renamed over the old one, so a crash never leaves half a file. */
export function writeFileAtomic(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

export function markFirstStart(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, FIRST_START_MARKER), `${new Date().toISOString()}\n`);
}

export function firstStartDone(dir: string): void {
  fs.rmSync(path.join(dir, FIRST_START_MARKER), { force: true });
}
