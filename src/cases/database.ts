import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { migrateCases } from './migrations';
import { LockingSqliteDialect } from './sqlite-migration-lock';
import { type CaseTables, type SqlDialectName } from './tables';

export interface CaseDatabase {
  db: Kysely<CaseTables>;
  dialect: SqlDialectName;
  /** Where the data lives, without credentials, for logs and messages. */
  location: string;
  /** The driver's own handle, for libraries that take one (the rate limiter shares this connection or pool). */
  driver: { kind: 'sqlite'; database: SQLite.Database } | { kind: 'postgres'; pool: Pool };
  close(): Promise<void>;
}

export interface CaseDatabaseOptions {
  /** PostgreSQL when set (`postgres://...`); otherwise SQLite at `sqliteFile`. */
  databaseUrl?: string;
  sqliteFile: string;
  /** Apply pending migrations on open (default true). Tests turn it off to stop at an older version. */
  migrate?: boolean;
}

/** Opens the case database and brings its schema up to date. */
export async function openCaseDatabase(options: CaseDatabaseOptions): Promise<CaseDatabase> {
  const opened = options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.sqliteFile);
  if (options.migrate !== false) {
    try {
      await migrateCases(opened.db, opened.dialect);
    } catch (err) {
      await opened.close();
      throw err;
    }
  }
  return opened;
}

/** How long a write waits out another writer on SQLite. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

function openSqlite(file: string): CaseDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  // WAL lets the API and CLI read while the worker writes; busy_timeout waits out a concurrent writer.
  database.pragma('journal_mode = WAL');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.pragma('foreign_keys = ON');
  // Its migration lock is real: several roles may open (and migrate) one file at once.
  const db = new Kysely<CaseTables>({ dialect: new LockingSqliteDialect(database, SQLITE_BUSY_TIMEOUT_MS) });
  return {
    db,
    dialect: 'sqlite',
    location: file,
    driver: { kind: 'sqlite', database },
    close: () => db.destroy(),
  };
}

function openPostgres(url: string): CaseDatabase {
  const pool = new Pool({ connectionString: url, max: 5 });
  const db = new Kysely<CaseTables>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    location: redactUrl(url),
    driver: { kind: 'postgres', pool },
    close: () => db.destroy(),
  };
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`: URLs carry passwords, logs must not. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

/** The SQLite file used when DATABASE_URL is unset. */
export function defaultSqliteFile(dataDir: string): string {
  return path.join(dataDir, 'cases.db');
}
