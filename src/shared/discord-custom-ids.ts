/*
 * Custom ids of flexcord's buttons and modals: one typed encoder/decoder, so a handler never parses strings by hand
 * and an id from another bot (or an old version) decodes to undefined instead of throwing. Pure code.
 */

export type CustomId =
  | { kind: 'request_human' }
  | { kind: 'close' }
  | { kind: 'rating'; rating: 1 | 2 | 3 | 4 | 5 }
  | { kind: 'bug_modal' }
  | { kind: 'feature_modal' }
  | { kind: 'case_close_modal'; caseNumber: number };

const PREFIX = 'fc';

export function encodeCustomId(id: CustomId): string {
  switch (id.kind) {
    case 'rating':
      return `${PREFIX}:rating:${id.rating}`;
    case 'case_close_modal':
      return `${PREFIX}:case_close_modal:${id.caseNumber}`;
    default:
      return `${PREFIX}:${id.kind}`;
  }
}

export function decodeCustomId(raw: string): CustomId | undefined {
  const [prefix, kind, arg] = raw.split(':');
  if (prefix !== PREFIX) return undefined;
  switch (kind) {
    case 'request_human':
    case 'close':
    case 'bug_modal':
    case 'feature_modal':
      return arg === undefined ? { kind } : undefined;
    case 'rating': {
      const rating = Number(arg);
      return [1, 2, 3, 4, 5].includes(rating) ? { kind, rating: rating as 1 | 2 | 3 | 4 | 5 } : undefined;
    }
    case 'case_close_modal': {
      const caseNumber = Number(arg);
      return Number.isInteger(caseNumber) && caseNumber > 0 ? { kind, caseNumber } : undefined;
    }
    default:
      return undefined;
  }
}
