import {
  type ColumnDefinitionBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  sql,
} from 'kysely';
import { type SqlDialectName } from './tables';

/*
 * Versioned migrations, kept in code (not files found at run time) so the built app and tests run the same ones.
 * Never edit a migration that has shipped: add the next one. Tests migrate to each version in turn.
 */
export const MIGRATION_NAMES = [
  '0001_cases',
  '0002_links_and_closed_at',
  '0003_transcript_revisions',
  '0004_support_conversations',
] as const;
export type MigrationName = (typeof MIGRATION_NAMES)[number];

/** An auto-numbered key; the dialects spell it differently. */
function serialKey(dialect: SqlDialectName) {
  return (col: ColumnDefinitionBuilder) =>
    dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity();
}

function migrations(dialect: SqlDialectName): Record<MigrationName, Migration> {
  return {
    '0001_cases': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('cases')
          .addColumn('number', 'integer', serialKey(dialect))
          .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('priority', 'text', (c) => c.notNull())
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('reporter_id', 'text', (c) => c.notNull())
          .addColumn('reporter_name', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('fields_json', 'text', (c) => c.notNull())
          .addColumn('suggested_articles_json', 'text', (c) => c.notNull())
          .addColumn('assigned_agent', 'text')
          .addColumn('twilio_conversation_sid', 'text')
          .addColumn('twilio_interaction_sid', 'text')
          .addColumn('twilio_channel_sid', 'text')
          .addColumn('twilio_task_sid', 'text')
          .addColumn('close_reason', 'text')
          .addColumn('rating', 'integer')
          .addColumn('workflow_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // Case numbers are shown to people (#1001): start past the small numbers that look like test data.
        if (dialect === 'sqlite') {
          await sql`insert into sqlite_sequence (name, seq) values ('cases', 1000)`.execute(db);
        } else {
          await sql`alter table cases alter column number restart with 1001`.execute(db);
        }
        await db.schema
          .createIndex('cases_guild_status')
          .on('cases')
          .columns(['guild_id', 'status'])
          .execute();
        await db.schema.createIndex('cases_reporter').on('cases').column('reporter_id').execute();

        await db.schema
          .createTable('case_transcript')
          .addColumn('id', 'integer', serialKey(dialect))
          .addColumn('case_number', 'integer', (c) =>
            c.notNull().references('cases.number').onDelete('cascade'),
          )
          .addColumn('entry_id', 'text', (c) => c.notNull())
          .addColumn('direction', 'text', (c) => c.notNull())
          .addColumn('author_kind', 'text', (c) => c.notNull())
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('attachments_json', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          // The idempotency guarantee: a retried append cannot add the same line twice.
          .addUniqueConstraint('case_transcript_entry', ['case_number', 'entry_id'])
          .execute();

        await db.schema
          .createTable('case_events')
          .addColumn('id', 'integer', serialKey(dialect))
          .addColumn('case_number', 'integer', (c) =>
            c.notNull().references('cases.number').onDelete('cascade'),
          )
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .addUniqueConstraint('case_events_event', ['case_number', 'event_id'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('case_events').execute();
        await db.schema.dropTable('case_transcript').execute();
        await db.schema.dropTable('cases').execute();
      },
    },
    '0002_links_and_closed_at': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('case_links')
          .addColumn('case_number', 'integer', (c) =>
            c.notNull().references('cases.number').onDelete('cascade'),
          )
          .addColumn('linked_case_number', 'integer', (c) =>
            c.notNull().references('cases.number').onDelete('cascade'),
          )
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('case_links_pk', ['case_number', 'linked_case_number', 'kind'])
          .execute();
        await db.schema
          .createIndex('case_links_linked')
          .on('case_links')
          .column('linked_case_number')
          .execute();
        await db.schema.alterTable('cases').addColumn('closed_at', 'text').execute();
        // Cases closed before this version get their last update as the closing time: the best we know.
        await sql`update cases set closed_at = updated_at where status in ('resolved', 'closed')`.execute(db);
      },
      async down(db: Kysely<unknown>) {
        await db.schema.alterTable('cases').dropColumn('closed_at').execute();
        await db.schema.dropTable('case_links').execute();
      },
    },
    '0003_transcript_revisions': {
      // A line that records an edit or deletion of an earlier line (by its entry id); the earlier line stays.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('case_transcript').addColumn('revises_entry_id', 'text').execute();
        await db.schema.alterTable('case_transcript').addColumn('revision', 'text').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.alterTable('case_transcript').dropColumn('revision').execute();
        await db.schema.alterTable('case_transcript').dropColumn('revises_entry_id').execute();
      },
    },
    // One row per support conversation, including those the FAQ bot answered without a case: the times support
    // analytics need (time to agent, first reply, handle time) as the workflow saw them.
    '0004_support_conversations': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('support_conversations')
          .addColumn('conversation_id', 'text', (c) => c.primaryKey())
          .addColumn('workflow_id', 'text', (c) => c.notNull())
          .addColumn('guild_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('kb_answered_at', 'text')
          .addColumn('human_requested_at', 'text')
          .addColumn('case_number', 'integer')
          .addColumn('agent_joined_at', 'text')
          .addColumn('first_agent_reply_at', 'text')
          .addColumn('closed_at', 'text')
          .addColumn('close_reason', 'text')
          .execute();
        await db.schema
          .createIndex('support_conversations_guild_started')
          .on('support_conversations')
          .columns(['guild_id', 'started_at'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('support_conversations').execute();
      },
    },
  };
}

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly dialect: SqlDialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

export function caseMigrator(db: Kysely<unknown>, dialect: SqlDialectName): Migrator {
  return new Migrator({
    db,
    provider: new InCodeMigrations(dialect),
    migrationTableName: 'flexcord_case_migrations',
    migrationLockTableName: 'flexcord_case_migrations_lock',
  });
}

/** Brings the schema to `target` (default: the latest); throws with the failing migration's name. */
export async function migrateCases<DB>(
  db: Kysely<DB>,
  dialect: SqlDialectName,
  target?: MigrationName,
): Promise<string[]> {
  const migrator = caseMigrator(db as unknown as Kysely<unknown>, dialect);
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(
      `case store migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
