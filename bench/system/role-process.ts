import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readProcessStats, type ProcessStats } from './process-stats';

const FLEXCORD_BIN = path.resolve(__dirname, '../../bin/flexcord.js');

export interface RoleProcessOptions {
  /** `worker`, `bot` or `webhooks` (passed to `flexcord start --role`), or a script to run with tsx. */
  role: string;
  /** A label for logs and reports (`worker-2`). */
  name?: string;
  env: Record<string, string>;
  /** Where the process's stdout and stderr go (one file per start). */
  logDir: string;
  /** Resolves once the process can do its job (the harness knows how to ask each role). */
  ready: (proc: RoleProcess) => Promise<void>;
  /** Run this TypeScript file (tsx) instead of `flexcord start`. */
  script?: string;
  /** Options for node itself, before the script (`--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
}

/**
 * One flexcord role (or a bench helper) as its own OS process, started the way an operator would start it
 * (`node bin/flexcord.js start --role <role>` with environment variables), so the harness can SIGKILL it, restart
 * it and read its CPU time and memory from /proc.
 */
export class RoleProcess {
  child?: ChildProcess;
  starts = 0;
  /** CPU and memory of earlier incarnations (killed or stopped), so a run's totals cover every start. */
  private readonly finished: ProcessStats[] = [];

  constructor(readonly options: RoleProcessOptions) {}

  get name(): string {
    return this.options.name ?? this.options.role;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The current incarnation's log file. */
  get logFile(): string {
    return path.join(this.options.logDir, `${this.name}.${this.starts}.log`);
  }

  async start(timeoutMs = 120_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    fs.mkdirSync(this.options.logDir, { recursive: true });
    const out = fs.openSync(this.logFile, 'w');
    const args = [
      ...(this.options.nodeArgs ?? []),
      ...(this.options.script
        ? ['--import', 'tsx', this.options.script]
        : [FLEXCORD_BIN, 'start', '--role', this.options.role]),
    ];
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.options.env },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    this.child = child;
    const exited = new Promise<never>((_resolve, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`${this.name} exited (${code ?? signal}) before it was ready; see ${this.logFile}`)),
      ),
    );
    exited.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.name} not ready after ${timeoutMs} ms; see ${this.logFile}`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.options.ready(this), exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: no shutdown hooks, no draining, as a crash or an OOM kill. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: the role's own graceful shutdown (SIGKILL after `graceMs`). */
  async stop(graceMs = 15_000): Promise<void> {
    await this.signal('SIGTERM', graceMs);
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  /** Starts that ended in an exit before the process was ready (each is in its log file). */
  readonly failedStarts: string[] = [];

  /**
   * Starts the process as a supervisor would (systemd, Docker's restart policy): when it exits before it is ready,
   * it is started again after `delayMs`, up to `attempts` times. Each failure is kept in `failedStarts`.
   */
  async startSupervised(attempts = 5, delayMs = 2000): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.start();
        return;
      } catch (err) {
        this.failedStarts.push(`${this.name} start ${this.starts}: ${(err as Error).message}`);
        if (attempt >= attempts) throw err;
        await this.kill();
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }

  /** Lines of the current log that contain `text` (the roles log JSON, one object per line). */
  logContains(text: string): boolean {
    try {
      return fs.readFileSync(this.logFile, 'utf8').includes(text);
    } catch {
      return false;
    }
  }

  /** CPU seconds and peak memory over every incarnation, the running one included. */
  stats(): ProcessStats {
    const all = [...this.finished];
    const live = this.pid && this.running ? readProcessStats(this.pid) : undefined;
    if (live) all.push(live);
    return {
      cpuSeconds: all.reduce((n, s) => n + s.cpuSeconds, 0),
      rssBytes: live?.rssBytes ?? 0,
      peakRssBytes: Math.max(0, ...all.map((s) => s.peakRssBytes)),
    };
  }

  private async signal(signal: NodeJS.Signals, graceMs = 0): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const last = child.pid ? readProcessStats(child.pid) : undefined;
    if (last) this.finished.push(last);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = graceMs > 0 ? setTimeout(() => child.kill('SIGKILL'), graceMs) : undefined;
    await exited;
    clearTimeout(timer);
  }
}

/** Polls `check` until it holds. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
