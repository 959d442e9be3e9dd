import { type UserBlock } from './block-list';
import { type LimitedAction, type RateLimits } from './rate-limits';

/**
 * What a user is trying to do, as the bot sees it. Opening a conversation (`/helpme` that starts one) and asking
 * for a person (which opens a case and a Flex task) count against the conversation limit; filing a report counts
 * against the report limit, and `/bug` only checks it (so nobody fills in a form that would be refused).
 */
export type GatedAction = 'open_conversation' | 'request_human' | 'message' | 'start_report' | 'file_report';

export type Refusal =
  | { why: 'blocked'; until?: string }
  | { why: 'rate_limited'; limit: LimitedAction; retryAfterSeconds: number };

export type Admission = { allowed: true } | ({ allowed: false } & Refusal);

const COUNTED: Partial<Record<GatedAction, LimitedAction>> = {
  open_conversation: 'conversations',
  request_human: 'conversations',
  file_report: 'reports',
};

/**
 * The bot's one check before anything reaches a workflow (and so Flex): is the user blocked in this server, and
 * are they within their limits. Staff are never limited; a block applies to everyone.
 */
export class ModerationGate {
  constructor(
    private readonly blocks: { activeBlock(guildId: string, userId: string): Promise<UserBlock | undefined> },
    private readonly limits: RateLimits,
    /** Decides how often a blocked user who keeps writing is told so again (once per window). */
    private readonly refusalNotices: RateLimits,
  ) {}

  async admit(
    guildId: string,
    userId: string,
    action: GatedAction,
    options: { staff?: boolean } = {},
  ): Promise<Admission> {
    const block = await this.blocks.activeBlock(guildId, userId);
    if (block)
      return { allowed: false, why: 'blocked', ...(block.expiresAt ? { until: block.expiresAt } : {}) };
    if (options.staff) return { allowed: true };
    const key = `${guildId}:${userId}`;
    if (action === 'start_report') return this.limited('reports', await this.limits.peek('reports', key));
    const counted = COUNTED[action];
    if (!counted) return { allowed: true };
    return this.limited(counted, await this.limits.take(counted, key));
  }

  /** Gives back what `admit` counted, when the action turned out not to open anything (a resumed conversation). */
  async refund(guildId: string, userId: string, action: GatedAction): Promise<void> {
    const counted = COUNTED[action];
    if (counted) await this.limits.refund(counted, `${guildId}:${userId}`);
  }

  /** Whether to answer a blocked user's message now: once per window, so a flood of DMs gets one reply. */
  async shouldTellBlocked(guildId: string, userId: string): Promise<boolean> {
    return (await this.refusalNotices.take('conversations', `${guildId}:${userId}`)).allowed;
  }

  private limited(limit: LimitedAction, result: Awaited<ReturnType<RateLimits['take']>>): Admission {
    return result.allowed
      ? { allowed: true }
      : { allowed: false, why: 'rate_limited', limit, retryAfterSeconds: result.retryAfterSeconds };
  }
}
