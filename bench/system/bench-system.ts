import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type FakeDiscordOptions } from '../../src/sandbox/discord';
import { freePort } from '../../test/support/free-port';
import { FlexcordProcesses } from './flexcord-processes';
import { type BenchDatabase, startBenchDatabase } from './postgres';
import { TemporalServer } from './temporal-server';
import { type Fakes, startFakes } from './world';

export interface BenchSystem {
  dir: string;
  temporal: TemporalServer;
  fakes: Fakes;
  flexcord: FlexcordProcesses;
  /** Stops everything; keeps the logs when BENCH_KEEP=1 (or `keep`), and says where. */
  stop(options?: { keep?: boolean }): Promise<void>;
}

/**
 * The whole system for one benchmark run: a Temporal dev server of its own (in memory unless `temporalDb`, which
 * the chaos suite needs to restart it on the same file), the Discord and Twilio fakes in this process, and
 * flexcord's roles as separate processes, all on 127.0.0.1 in a fresh temporary directory.
 */
export async function startBenchSystem(options: {
  name: string;
  discord?: FakeDiscordOptions;
  workers?: number;
  env?: Record<string, string>;
  temporalDb?: boolean;
  /** Start the roles now (default true). */
  start?: boolean;
  /** The case store: SQLite in the data folder (default), or PostgreSQL (see bench/system/postgres.ts). */
  caseStore?: 'sqlite' | 'postgres';
}): Promise<BenchSystem> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `flexcord-${options.name}-`));
  const database: BenchDatabase | undefined =
    options.caseStore === 'postgres' ? await startBenchDatabase(options.name) : undefined;
  const temporal = await TemporalServer.create(path.join(dir, 'temporal'), {
    inMemory: !options.temporalDb,
  });
  const httpPort = await freePort();
  const fakes = await startFakes({
    webhooksBaseUrl: `http://127.0.0.1:${httpPort}`,
    discord: options.discord,
  });
  const flexcord = new FlexcordProcesses({
    discord: fakes.discord,
    twilio: fakes.twilio,
    guildId: fakes.guildId,
    temporalAddress: temporal.address,
    dataDir: path.join(dir, 'data'),
    logDir: path.join(dir, 'logs'),
    httpPort,
    taskQueue: `bench-${options.name}`,
    workers: options.workers,
    env: { ...(database ? { DATABASE_URL: database.url } : {}), ...options.env },
  });
  const stop = async (stopOptions: { keep?: boolean } = {}) => {
    await flexcord.stop().catch(() => flexcord.kill());
    await fakes.stop();
    await temporal.stop();
    await database?.stop();
    if (stopOptions.keep || process.env.BENCH_KEEP === '1') console.log(`logs kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await temporal.start();
    if (options.start !== false) await flexcord.start();
  } catch (err) {
    await stop({ keep: true });
    throw err;
  }
  return { dir, temporal, fakes, flexcord, stop };
}
