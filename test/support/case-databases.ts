import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { type CaseDatabase, openCaseDatabase } from '../../src/cases/database';

/*
 * Runs a case-store suite on SQLite (always) and on PostgreSQL (TEST_DATABASE_URL, from scripts/ci/postgres.sh).
 * Every test gets an empty database of its own. Without TEST_DATABASE_URL the PostgreSQL suite fails under CI and
 * is skipped, loudly, on a developer machine.
 */
export type OpenTestDatabase = (options?: { migrate?: boolean }) => Promise<CaseDatabase>;

export function describeOnEachDialect(title: string, suite: (open: OpenTestDatabase) => void): void {
  describe(`${title} (SQLite)`, () => {
    const opened: { db: CaseDatabase; dir: string }[] = [];
    afterEach(async () => {
      for (const { db, dir } of opened.splice(0)) {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
    suite(async (options) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-cases-'));
      const db = await openCaseDatabase({
        sqliteFile: path.join(dir, 'cases.db'),
        migrate: options?.migrate,
      });
      opened.push({ db, dir });
      return db;
    });
  });

  describe(`${title} (PostgreSQL)`, function () {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) {
      if (process.env.CI === 'true') {
        it('needs TEST_DATABASE_URL under CI', () => {
          throw new Error(
            'TEST_DATABASE_URL is not set: CI must run the PostgreSQL case-store suite (eval "$(bash scripts/ci/postgres.sh)")',
          );
        });
      } else {
        before(function () {
          console.warn(
            `  SKIPPED "${title} (PostgreSQL)": TEST_DATABASE_URL is not set. ` +
              'Run `eval "$(bash scripts/ci/postgres.sh)"` first to test on PostgreSQL.',
          );
          this.skip();
        });
        it('runs on PostgreSQL when TEST_DATABASE_URL is set', () => undefined);
      }
      return;
    }
    const created: { db: CaseDatabase; name: string }[] = [];
    afterEach(async () => {
      for (const { db, name } of created.splice(0)) {
        await db.close();
        await admin(url, `drop database if exists ${name}`);
      }
    });
    suite(async (options) => {
      const name = `flexcord_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
      await admin(url, `create database ${name}`);
      const dbUrl = new URL(url);
      dbUrl.pathname = `/${name}`;
      const db = await openCaseDatabase({
        databaseUrl: dbUrl.toString(),
        sqliteFile: '',
        migrate: options?.migrate,
      });
      created.push({ db, name });
      return db;
    });
  });
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
