import { type Kysely } from 'kysely';
import { type GuildScope } from '../cases/guild-scope';
import { migrateModeration } from './migrations';

/** A staff decision that a user may not use support in one server, with why and until when. */
export interface UserBlock {
  guildId: string;
  userId: string;
  reason: string;
  /** Who blocked: `discord:<user id>`, `api:<actor>`, `cli:<user>`. */
  blockedBy: string;
  blockedAt: string;
  /** Unset: until someone unblocks the user. */
  expiresAt?: string;
}

type BlockTables = {
  user_blocks: {
    guild_id: string;
    user_id: string;
    reason: string;
    blocked_by: string;
    blocked_at: string;
    expires_at: string | null;
    lifted_by: string | null;
    lifted_at: string | null;
  };
};

type BlockRow = BlockTables['user_blocks'];

/**
 * Blocked users in the case store's database. One row per user and server: blocking again replaces the reason
 * and expiry; unblocking keeps the row with who lifted it and when, so staff can see a block existed.
 */
export class SqlBlockList {
  private constructor(
    private readonly db: Kysely<BlockTables>,
    private readonly now: () => Date,
  ) {}

  /** Takes any Kysely instance on the database (the case store's) and migrates the abuse-control tables. */
  static async open<DB>(db: Kysely<DB>, now: () => Date = () => new Date()): Promise<SqlBlockList> {
    await migrateModeration(db);
    return new SqlBlockList(db.withTables<BlockTables>() as unknown as Kysely<BlockTables>, now);
  }

  async block(input: Omit<UserBlock, 'blockedAt'>): Promise<UserBlock> {
    const row: BlockRow = {
      guild_id: input.guildId,
      user_id: input.userId,
      reason: input.reason,
      blocked_by: input.blockedBy,
      blocked_at: this.now().toISOString(),
      expires_at: input.expiresAt ?? null,
      lifted_by: null,
      lifted_at: null,
    };
    await this.db
      .insertInto('user_blocks')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['guild_id', 'user_id']).doUpdateSet({
          reason: row.reason,
          blocked_by: row.blocked_by,
          blocked_at: row.blocked_at,
          expires_at: row.expires_at,
          lifted_by: null,
          lifted_at: null,
        }),
      )
      .execute();
    return toBlock(row);
  }

  /** Lifts the user's block; false when there was none in force. */
  async unblock(input: { guildId: string; userId: string; liftedBy: string }): Promise<boolean> {
    const active = await this.activeBlock(input.guildId, input.userId);
    if (!active) return false;
    await this.db
      .updateTable('user_blocks')
      .set({ lifted_by: input.liftedBy, lifted_at: this.now().toISOString() })
      .where('guild_id', '=', input.guildId)
      .where('user_id', '=', input.userId)
      .execute();
    return true;
  }

  /** The block in force for the user in the server now, if any (an expired or lifted one is not). */
  async activeBlock(guildId: string, userId: string): Promise<UserBlock | undefined> {
    const row = await this.db
      .selectFrom('user_blocks')
      .selectAll()
      .where('guild_id', '=', guildId)
      .where('user_id', '=', userId)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    return row && this.inForce(row) ? toBlock(row) : undefined;
  }

  /** Blocks in force in the servers of `scope`, newest first. */
  async activeBlocks(scope: GuildScope): Promise<UserBlock[]> {
    if (scope.kind === 'guilds' && scope.guildIds.length === 0) return [];
    let query = this.db.selectFrom('user_blocks').selectAll().where('lifted_at', 'is', null);
    if (scope.kind === 'guilds') query = query.where('guild_id', 'in', [...scope.guildIds]);
    const rows = await query.orderBy('blocked_at', 'desc').execute();
    return rows.filter((r) => this.inForce(r)).map(toBlock);
  }

  private inForce(row: BlockRow): boolean {
    return row.expires_at === null || Date.parse(row.expires_at) > this.now().getTime();
  }
}

function toBlock(row: BlockRow): UserBlock {
  return {
    guildId: row.guild_id,
    userId: row.user_id,
    reason: row.reason,
    blockedBy: row.blocked_by,
    blockedAt: row.blocked_at,
    ...(row.expires_at !== null ? { expiresAt: row.expires_at } : {}),
  };
}
