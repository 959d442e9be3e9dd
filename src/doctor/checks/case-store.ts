import fs from 'node:fs';
import { type Kysely } from 'kysely';
import { defaultSqliteFile, openCaseDatabase } from '../../cases';
import { redactUrl } from '../../cases/database';
import { caseMigrator } from '../../cases/migrations';
import { feedLedgerMigrator } from '../../activities/feeds/feed-migrations';
import { moderationMigrator } from '../../moderation/migrations';
import { type CheckOutcome, fail, pass } from '../check';
import { type DoctorContext } from '../context';
import { errorSummary } from '../report';

const START_FIX =
  'start flexcord once (`npm start`, or any role): each role creates the case store and applies pending migrations';

/**
 * The case store answers and its schema is current. Read only: doctor neither creates the database nor migrates
 * it, since a role doing so on start is the one place that happens.
 */
export async function caseStore(ctx: DoctorContext): Promise<CheckOutcome> {
  const { databaseUrl } = ctx.config.cases;
  const sqliteFile = defaultSqliteFile(ctx.config.dataDir);
  if (!databaseUrl && !fs.existsSync(sqliteFile)) {
    return fail(`no case store yet at ${sqliteFile}`, `${START_FIX}; or check FLEXCORD_DATA_DIR`);
  }
  const where = databaseUrl ? redactUrl(databaseUrl) : sqliteFile;
  let database;
  try {
    database = await openCaseDatabase({ databaseUrl, sqliteFile, migrate: false });
  } catch (err) {
    return fail(`cannot open ${where}: ${errorSummary(err)}`, openFix(databaseUrl));
  }
  try {
    const db = database.db as unknown as Kysely<unknown>;
    // Each part keeps its own migration history in the one database; a role migrates the parts it uses.
    const sets = [
      { part: 'cases', migrator: caseMigrator(db, database.dialect) },
      { part: 'moderation', migrator: moderationMigrator(db) },
      { part: 'feeds', migrator: feedLedgerMigrator(db) },
    ];
    let migrations: { part: string; name: string; applied: boolean }[];
    try {
      const listed = await Promise.all(
        sets.map(async ({ part, migrator }) =>
          (await migrator.getMigrations()).map((m) => ({
            part,
            name: m.name,
            applied: m.executedAt !== undefined,
          })),
        ),
      );
      migrations = listed.flat();
    } catch (err) {
      return fail(`cannot read ${where}: ${errorSummary(err)}`, openFix(databaseUrl));
    }
    const pending = migrations.filter((m) => !m.applied).map((m) => `${m.part} ${m.name}`);
    const applied = migrations.length - pending.length;
    if (pending.length > 0) {
      return fail(
        `${where}: ${applied} of ${migrations.length} migrations applied, pending: ${pending.join(', ')}`,
        `back up the database, then ${START_FIX}`,
      );
    }
    return pass(`${where} (${database.dialect}), all ${migrations.length} migrations applied`);
  } finally {
    await database.close();
  }
}

function openFix(databaseUrl: string | undefined): string {
  return databaseUrl
    ? 'check that PostgreSQL runs at DATABASE_URL and accepts its user and password (`docker compose up -d postgresql` starts the bundled one)'
    : 'check that FLEXCORD_DATA_DIR is writable by this user';
}
