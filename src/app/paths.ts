import fs from 'node:fs';
import path from 'node:path';

/** The folder holding flexcord's package.json, whether we run from src/ (tsx) or dist/src/ (built). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** True when running compiled JavaScript from dist/, as the production image does. */
export function runningFromBuild(): boolean {
  return __filename.endsWith('.js');
}

/** The prebuilt workflow bundle; `traced`: the one with the tracing interceptor, for a worker that traces. */
export function workflowBundlePath(traced = false): string {
  return path.join(projectRoot(), 'dist', traced ? 'workflow-bundle-traced.js' : 'workflow-bundle.js');
}
