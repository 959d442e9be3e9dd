import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCaseDatabase } from '../src/cases';
import { SqlFeedLedger } from '../src/activities/feeds/sql-feed-ledger';
import { SqlBlockList } from '../src/moderation/block-list';

/*
 * The worker, the bot and the webhooks role are separate processes in production and each opens the case database
 * at start, migrating it. On SQLite, Kysely's migration lock does nothing (it assumes one connection), so without
 * a lock of our own the roles' migrations race on a new database and one role dies with "table already exists".
 */
describe('opening one new SQLite case database from several roles at once', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flexcord-concurrent-open-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrates it once: every opener succeeds with the case, feed and moderation tables in place', async () => {
    const sqliteFile = path.join(dir, 'cases.db');
    const openOne = async () => {
      const database = await openCaseDatabase({ sqliteFile });
      try {
        await SqlFeedLedger.open(database.db);
        await SqlBlockList.open(database.db);
      } finally {
        await database.close();
      }
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => openOne()));
    const failures = outcomes
      .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
      .map((o) => String((o.reason as Error).message));
    assert.deepEqual(failures, []);
  });
});
