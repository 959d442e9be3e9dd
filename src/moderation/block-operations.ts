import { z } from 'zod';
import { type GuildScope, inScope } from '../cases/guild-scope';
import { type SqlBlockList, type UserBlock } from './block-list';

/** A block request that cannot be carried out; `code` maps to 400 and 404 in the API. */
export class BlockOperationError extends Error {
  override name = 'BlockOperationError';
  constructor(
    readonly code: 'invalid' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

const snowflake = z.string().regex(/^\d{5,25}$/, 'a Discord id (digits)');

export const blockInputSchema = z.object({
  guildId: snowflake,
  userId: snowflake,
  reason: z.string().trim().min(1, 'a reason is required').max(500),
  /** Unset: until someone unblocks the user. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

export interface BlockActor {
  /** `discord:<user id>`, `api:<actor>`, `cli:<user>`. */
  actor: string;
  /** The servers this caller may act in. */
  scope: GuildScope;
}

/** Staff's block and unblock, the same for `/case block`, the API and the CLI, limited to the caller's servers. */
export function createBlockOperations(blocks: SqlBlockList, now: () => Date = () => new Date()) {
  const within = (guildId: string, who: BlockActor) => {
    // Another server's users read as unknown, as cases do.
    if (!inScope(who.scope, guildId)) throw new BlockOperationError('not_found', `no server ${guildId} here`);
  };
  return {
    async block(input: z.input<typeof blockInputSchema>, who: BlockActor): Promise<UserBlock> {
      const parsed = blockInputSchema.safeParse(input);
      if (!parsed.success)
        throw new BlockOperationError('invalid', parsed.error.issues.map((i) => i.message).join('; '));
      within(parsed.data.guildId, who);
      if (parsed.data.expiresAt && Date.parse(parsed.data.expiresAt) <= now().getTime())
        throw new BlockOperationError('invalid', 'the expiry is in the past');
      return blocks.block({ ...parsed.data, blockedBy: who.actor });
    },
    async unblock(input: { guildId: string; userId: string }, who: BlockActor): Promise<{ lifted: boolean }> {
      within(input.guildId, who);
      return { lifted: await blocks.unblock({ ...input, liftedBy: who.actor }) };
    },
    list: (scope: GuildScope) => blocks.activeBlocks(scope),
  };
}

export type BlockOperations = ReturnType<typeof createBlockOperations>;

/** A block's end `days` from now, or none. */
export function expiryAfterDays(days: number | undefined, now: Date = new Date()): string | undefined {
  return days === undefined ? undefined : new Date(now.getTime() + days * 24 * 60 * 60 * 1000).toISOString();
}
