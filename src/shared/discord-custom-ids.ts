/*
 * Custom ids of flexcord's buttons, select menus and modals: one typed encoder/decoder, so a handler never parses
 * strings by hand and an id from another bot (or an old version) decodes to undefined instead of throwing. Pure code.
 *
 * A user has one DM channel with the bot but one conversation per server, so a conversation's buttons name it:
 * `fc:close:<guild id>:<user id>`. Ids posted before that (`fc:close`) still decode, without a conversation.
 */

/** The conversation a button belongs to: `support-<guildId>-<userId>`. */
export interface ConversationRef {
  guildId: string;
  userId: string;
}

export type CustomId =
  | { kind: 'request_human'; conversation?: ConversationRef }
  | { kind: 'close'; conversation?: ConversationRef }
  | { kind: 'rating'; rating: 1 | 2 | 3 | 4 | 5; conversation?: ConversationRef }
  /** The menu asking which server a DM (message `messageId`) is for. */
  | { kind: 'pick_guild'; messageId: string }
  | { kind: 'bug_modal' }
  | { kind: 'feature_modal' }
  | { kind: 'case_close_modal'; caseNumber: number };

const PREFIX = 'fc';
const SNOWFLAKE = /^\d{1,20}$/;

const conversationPart = (c: ConversationRef | undefined) => (c ? `:${c.guildId}:${c.userId}` : '');

export function encodeCustomId(id: CustomId): string {
  switch (id.kind) {
    case 'request_human':
    case 'close':
      return `${PREFIX}:${id.kind}${conversationPart(id.conversation)}`;
    case 'rating':
      return `${PREFIX}:rating:${id.rating}${conversationPart(id.conversation)}`;
    case 'pick_guild':
      return `${PREFIX}:pick_guild:${id.messageId}`;
    case 'case_close_modal':
      return `${PREFIX}:case_close_modal:${id.caseNumber}`;
    default:
      return `${PREFIX}:${id.kind}`;
  }
}

/** `[]` → no conversation (an old id); `[guild, user]` → that conversation; anything else → not ours. */
function conversationOf(parts: string[]): { conversation?: ConversationRef } | undefined {
  if (parts.length === 0) return {};
  const [guildId, userId] = parts;
  if (parts.length !== 2 || !SNOWFLAKE.test(guildId!) || !SNOWFLAKE.test(userId!)) return undefined;
  return { conversation: { guildId: guildId!, userId: userId! } };
}

export function decodeCustomId(raw: string): CustomId | undefined {
  const [prefix, kind, ...args] = raw.split(':');
  if (prefix !== PREFIX) return undefined;
  switch (kind) {
    case 'request_human':
    case 'close': {
      const ref = conversationOf(args);
      return ref && { kind, ...ref };
    }
    case 'bug_modal':
    case 'feature_modal':
      return args.length === 0 ? { kind } : undefined;
    case 'rating': {
      const rating = Number(args[0]);
      const ref = conversationOf(args.slice(1));
      return [1, 2, 3, 4, 5].includes(rating) && ref
        ? { kind, rating: rating as 1 | 2 | 3 | 4 | 5, ...ref }
        : undefined;
    }
    case 'pick_guild':
      return args.length === 1 && SNOWFLAKE.test(args[0]!) ? { kind, messageId: args[0]! } : undefined;
    case 'case_close_modal': {
      const caseNumber = Number(args[0]);
      return args.length === 1 && Number.isInteger(caseNumber) && caseNumber > 0
        ? { kind, caseNumber }
        : undefined;
    }
    default:
      return undefined;
  }
}
