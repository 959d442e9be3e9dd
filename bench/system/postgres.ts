import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface BenchDatabase {
  /** DATABASE_URL for every role: a fresh, empty database. */
  url: string;
  /** Drops the database; stops the cluster when the bench started it. */
  stop(): Promise<void>;
}

const SCRIPT = path.resolve(__dirname, '../../scripts/ci/postgres.sh');

/**
 * A PostgreSQL case store for a benchmark with several worker processes (SQLite allows one writer, so two workers
 * writing transcripts wait on each other's locks). BENCH_DATABASE_URL names a server to use (a fresh database is
 * made on it and dropped afterwards); otherwise scripts/ci/postgres.sh starts a throwaway cluster of the bench's
 * own (installing Debian's postgresql if it is missing), which is removed again at the end.
 */
export async function startBenchDatabase(name: string): Promise<BenchDatabase> {
  const database = `flexcord_bench_${name.replace(/[^a-z0-9]/g, '_')}_${process.pid}`;
  let serverUrl = process.env.BENCH_DATABASE_URL;
  let stopCluster = () => {};
  if (!serverUrl) {
    const env = {
      ...process.env,
      FLEXCORD_PG_DIR: path.join(os.tmpdir(), `flexcord-pg-bench-${process.pid}`),
    };
    const out = execFileSync('bash', [SCRIPT], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const match = /TEST_DATABASE_URL=(\S+)/.exec(out);
    if (!match) throw new Error(`scripts/ci/postgres.sh gave no URL: ${out}`);
    serverUrl = match[1]!;
    stopCluster = () => execFileSync('bash', [SCRIPT, 'stop'], { env, stdio: 'ignore' });
  }
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`DROP DATABASE IF EXISTS ${database}`);
  await run(`CREATE DATABASE ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    async stop() {
      await run(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
      stopCluster();
    },
  };
}
