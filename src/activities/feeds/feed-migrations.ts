import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

/*
 * The feed ledger's schema, versioned on its own migration table so it never interleaves with the case store's
 * migrations in the same database. Never edit a shipped migration: add the next one.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001_feed_items': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('feed_items')
        .addColumn('feed_url', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('feed_items_pk', ['feed_url', 'item_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('feed_items').execute();
    },
  },
};

class InCodeFeedMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/** The migrator of these tables (on their own migration table), for migrating and for `flexcord doctor` to read. */
export function feedLedgerMigrator(db: Kysely<unknown>): Migrator {
  return new Migrator({
    db,
    provider: new InCodeFeedMigrations(),
    migrationTableName: 'flexcord_feed_migrations',
    migrationLockTableName: 'flexcord_feed_migrations_lock',
  });
}

/** Brings the feed ledger's tables up to date; throws naming the migration that failed. */
export async function migrateFeedLedger<DB>(db: Kysely<DB>): Promise<void> {
  const migrator = feedLedgerMigrator(db as unknown as Kysely<unknown>);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `feed ledger migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
