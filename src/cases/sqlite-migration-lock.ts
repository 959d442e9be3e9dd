import type SQLite from 'better-sqlite3';
import { SqliteAdapter, SqliteDialect } from 'kysely';

/** How long a role waits for another one's migrations before giving up. */
const LOCK_WAIT_MS = 60_000;
const RETRY_MS = 25;

/**
 * SQLite's adapter with a real migration lock. Kysely's own does nothing, assuming one connection; but the worker,
 * the bot and the webhooks role may be separate processes on one database file, each migrating it at start, and
 * without a lock they race ("table already exists"). `BEGIN IMMEDIATE` takes SQLite's write lock for the whole
 * migration run, so another opener waits and then finds the migrations done. It waits by retrying with the busy
 * timeout off: better-sqlite3 blocks the thread while it waits, and the holder may be in this same process.
 */
class LockingSqliteAdapter extends SqliteAdapter {
  constructor(
    private readonly database: SQLite.Database,
    private readonly busyTimeoutMs: number,
  ) {
    super();
  }

  override async acquireMigrationLock(): Promise<void> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    this.database.pragma('busy_timeout = 0');
    try {
      for (;;) {
        try {
          this.database.exec('BEGIN IMMEDIATE');
          return;
        } catch (err) {
          if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        }
      }
    } finally {
      this.database.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    }
  }

  override async releaseMigrationLock(): Promise<void> {
    if (this.database.inTransaction) this.database.exec('COMMIT');
  }
}

/** SQLite for the case database: Kysely's dialect, with the migration lock above. */
export class LockingSqliteDialect extends SqliteDialect {
  constructor(
    private readonly database: SQLite.Database,
    private readonly busyTimeoutMs: number,
  ) {
    super({ database });
  }

  override createAdapter(): SqliteAdapter {
    return new LockingSqliteAdapter(this.database, this.busyTimeoutMs);
  }
}
