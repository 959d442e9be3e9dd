import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { provisionTemporalCli } from '../../src/temporal/cli-provision';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { DISCORD_SEND_QUEUE_PARTITIONS } from '../../src/shared/task-queue';
import { freePort } from '../../test/support/free-port';

/**
 * A Temporal dev server (the cached CLI) run as a child process the harness owns, so it can be killed with SIGKILL
 * and started again on the same SQLite file at the same address, as an operator's restart would.
 */
export class TemporalServer {
  child?: ChildProcess;
  restarts = 0;

  private constructor(
    readonly cliPath: string,
    readonly port: number,
    /** Undefined: in memory (nothing survives a restart; for benchmarks that never restart it). */
    readonly dbFile: string | undefined,
  ) {}

  static async create(dataDir: string, options: { inMemory?: boolean } = {}): Promise<TemporalServer> {
    const cli = await provisionTemporalCli({ cliPath: process.env.TEMPORAL_CLI_PATH, install: false });
    if (cli.kind !== 'binary') throw new Error('no Temporal CLI binary: run `npm run temporal:ensure` first');
    fs.mkdirSync(dataDir, { recursive: true });
    return new TemporalServer(
      cli.path,
      await freePort(),
      options.inMemory ? undefined : path.join(dataDir, 'temporal.db'),
    );
  }

  private get partitions(): number {
    return Number(process.env.BENCH_TEMPORAL_PARTITIONS ?? DISCORD_SEND_QUEUE_PARTITIONS);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const args = [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(this.port),
      ...(this.dbFile ? ['--db-filename', this.dbFile] : []),
      '--log-format',
      'json',
      '--log-level',
      'error',
      // As flexcord's embedded dev server runs (src/temporal/dev-server.ts); BENCH_TEMPORAL_PARTITIONS overrides.
      '--dynamic-config-value',
      `matching.numTaskqueueReadPartitions=${this.partitions}`,
      '--dynamic-config-value',
      `matching.numTaskqueueWritePartitions=${this.partitions}`,
      '--dynamic-config-value',
      'frontend.enableUpdateWorkflowExecution=true',
      '--dynamic-config-value',
      'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
      ...ALL_SEARCH_ATTRIBUTES.flatMap((a) => [
        '--search-attribute',
        `${a.name}=${searchAttributeTypeToCli(a.type)}`,
      ]),
    ];
    const child = spawn(this.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`temporal dev server exited: ${stderr}`);
      try {
        const connection = await Connection.connect({ address: this.address, connectTimeout: 1000 });
        await connection.workflowService.getSystemInfo({});
        await connection.close();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`temporal dev server did not answer: ${stderr}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** SIGKILL: no shutdown, as a crash or an OOM kill. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    this.restarts += 1;
    await this.start();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The CLI's spelling of a search attribute type: KEYWORD → Keyword. */
function searchAttributeTypeToCli(type: string): string {
  const names: Record<string, string> = { KEYWORD: 'Keyword', INT: 'Int', TEXT: 'Text', BOOL: 'Bool' };
  const name = names[type];
  if (!name) throw new Error(`no CLI name for search attribute type ${type}`);
  return name;
}
