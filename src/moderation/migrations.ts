import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

/*
 * Abuse controls' schema (blocked users, rate-limit counters) in the case store's database, versioned on its own
 * migration table so it never interleaves with the case store's migrations. Never edit a shipped migration.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001_blocks_and_rate_limits': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('user_blocks')
        .addColumn('guild_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('blocked_by', 'text', (c) => c.notNull())
        .addColumn('blocked_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('lifted_by', 'text')
        .addColumn('lifted_at', 'text')
        .addPrimaryKeyConstraint('user_blocks_pk', ['guild_id', 'user_id'])
        .execute();
      // rate-limiter-flexible's own layout (its SQLite and PostgreSQL stores create the same), made here so the
      // table exists before the first request instead of being created lazily by whichever process comes first.
      await db.schema
        .createTable('flexcord_rate_limits')
        .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expire', 'bigint')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('flexcord_rate_limits').execute();
      await db.schema.dropTable('user_blocks').execute();
    },
  },
};

class InCodeModerationMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/** The migrator of these tables (on their own migration table), for migrating and for `flexcord doctor` to read. */
export function moderationMigrator(db: Kysely<unknown>): Migrator {
  return new Migrator({
    db,
    provider: new InCodeModerationMigrations(),
    migrationTableName: 'flexcord_moderation_migrations',
    migrationLockTableName: 'flexcord_moderation_migrations_lock',
  });
}

/** Brings the abuse-control tables up to date; throws naming the migration that failed. */
export async function migrateModeration<DB>(db: Kysely<DB>): Promise<void> {
  const migrator = moderationMigrator(db as unknown as Kysely<unknown>);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `moderation migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
