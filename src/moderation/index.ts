import { type Logger } from 'pino';
import { type CaseDatabase } from '../cases/database';
import { type Config } from '../config';
import { SqlBlockList } from './block-list';
import { type BlockOperations, createBlockOperations } from './block-operations';
import { ModerationGate } from './gate';
import { durableRateLimits, memoryRateLimits } from './rate-limits';

export { ModerationGate, type Admission, type GatedAction, type Refusal } from './gate';
export { type BlockOperations, BlockOperationError, expiryAfterDays } from './block-operations';
export { type UserBlock } from './block-list';

/** A blocked user who keeps writing hears so at most once per hour (per server). */
const BLOCKED_NOTICE_WINDOW_SECONDS = 60 * 60;

export interface Moderation {
  gate: ModerationGate;
  blocks: BlockOperations;
}

/** Abuse controls on the case store's database: the bot's gate and staff's block operations. */
export async function openModeration(
  database: Pick<CaseDatabase, 'db' | 'driver'>,
  config: Pick<Config, 'limits'>,
  logger: Logger,
): Promise<Moderation> {
  const blockList = await SqlBlockList.open(database.db);
  const limits = durableRateLimits(database, config.limits, (err) =>
    logger.warn({ err }, 'rate limit store failed; letting the action through'),
  );
  const notices = memoryRateLimits({
    conversations: { points: 1, windowSeconds: BLOCKED_NOTICE_WINDOW_SECONDS },
    reports: { points: 0, windowSeconds: 1 },
  });
  return { gate: new ModerationGate(blockList, limits, notices), blocks: createBlockOperations(blockList) };
}
