import { type Command } from 'commander';
import pino from 'pino';
import { z } from 'zod';
import { openCaseStore } from '../../cases';
import { ALL_GUILDS, onlyGuilds } from '../../cases/guild-scope';
import { loadConfig } from '../../config';
import { BlockOperationError, type BlockOperations, expiryAfterDays, openModeration } from '../../moderation';
import { UserError } from '../user-error';

/**
 * `flexcord cases block|unblock|blocks`: staff stop a member from using support in one server (or let them again),
 * straight on the case store's database; the bot reads it on every request, so no worker is needed.
 */
export function registerBlockCommands(cases: Command): void {
  const actor = process.env.USER ?? 'cli';
  cases
    .command('block <user>')
    .description(
      'stop a member from using support in a server: /helpme, messages and reports are refused politely',
    )
    .requiredOption('--guild <id>', 'the Discord server')
    .requiredOption('--reason <text>', 'why, for staff (the member is not told)')
    .option('--days <n>', 'lift the block after this many days (default: until unblocked)')
    .option('--actor <name>', 'who blocks, for the record', actor)
    .action(async (user: string, opts: { guild: string; reason: string; days?: string; actor: string }) => {
      const days =
        opts.days === undefined ? undefined : parse(z.coerce.number().int().min(1).max(3650), opts.days);
      await withBlocks(async (blocks) => {
        const block = await blocks.block(
          { guildId: opts.guild, userId: user, reason: opts.reason, expiresAt: expiryAfterDays(days) },
          { actor: `cli:${opts.actor}`, scope: onlyGuilds(opts.guild) },
        );
        console.log(`blocked ${user} in ${opts.guild}${block.expiresAt ? ` until ${block.expiresAt}` : ''}`);
      });
    });

  cases
    .command('unblock <user>')
    .description('let a blocked member use support again')
    .requiredOption('--guild <id>', 'the Discord server')
    .option('--actor <name>', 'who unblocks, for the record', actor)
    .action(async (user: string, opts: { guild: string; actor: string }) => {
      await withBlocks(async (blocks) => {
        const { lifted } = await blocks.unblock(
          { guildId: opts.guild, userId: user },
          { actor: `cli:${opts.actor}`, scope: onlyGuilds(opts.guild) },
        );
        console.log(
          lifted ? `unblocked ${user} in ${opts.guild}` : `${user} was not blocked in ${opts.guild}`,
        );
      });
    });

  cases
    .command('blocks')
    .description('list the members blocked now')
    .option('--guild <id>', 'only this Discord server')
    .option('--json', 'print JSON')
    .action(async (opts: { guild?: string; json?: boolean }) => {
      await withBlocks(async (blocks) => {
        const list = await blocks.list(opts.guild ? onlyGuilds(opts.guild) : ALL_GUILDS);
        if (opts.json) return console.log(JSON.stringify(list, null, 2));
        if (list.length === 0) return console.log('nobody is blocked');
        for (const b of list) {
          console.log(
            `${b.guildId}  ${b.userId}  until ${b.expiresAt ?? 'unblocked'}  by ${b.blockedBy} at ${b.blockedAt}: ${b.reason.replace(/\s+/g, ' ')}`,
          );
        }
      });
    });
}

async function withBlocks(fn: (blocks: BlockOperations) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const opened = await openCaseStore(config);
  try {
    const { blocks } = await openModeration(opened.database, config, pino({ level: 'silent' }));
    await fn(blocks);
  } catch (err) {
    if (err instanceof BlockOperationError) throw new UserError(err.message);
    throw err;
  } finally {
    await opened.close();
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UserError(result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}
