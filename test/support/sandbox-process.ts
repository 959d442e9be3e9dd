import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './free-port';

const root = path.resolve(__dirname, '../..');

export interface SandboxProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  httpPort: number;
  playgroundUrl: string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `flexcord <args>` (`start` or `sandbox`) as a user runs it, with nothing configured but the data folder and free
 * ports; resolves once the sandbox printed its playground address.
 */
export async function startSandboxProcess(
  args: string[],
  dataDir: string,
  env: Record<string, string> = {},
): Promise<SandboxProcess> {
  const httpPort = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'bin', 'flexcord.js'), ...args], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      FLEXCORD_DATA_DIR: dataDir,
      HTTP_PORT: String(httpPort),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_DEV_UI_PORT: String(await freePort()),
      ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => {
      const check = () => {
        if (/Playground +http/.test(output)) return resolve(true);
        setTimeout(check, 100);
      };
      check();
    }),
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 90_000).unref()),
  ]);
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`the sandbox did not come up:\n${output}`);
  }
  return {
    child,
    output: () => output,
    httpPort,
    playgroundUrl: `http://127.0.0.1:${httpPort}/sandbox`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Runs `flexcord <args>` to its end (for the ones that refuse to start). */
export function runFlexcord(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'flexcord.js'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
