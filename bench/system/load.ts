import { type BenchConversation, type Direction, RelayLedger, type SentMessage } from './relay-ledger';
import { type Fakes } from './world';

export interface LoadResult {
  label: string;
  targetRate: number;
  sent: number;
  achievedRate: number;
  durationMs: number;
  /** Sends the fakes refused (e.g. a closed conversation), which count as not sent. */
  sendErrors: number;
}

/**
 * Messages both ways at `ratePerSecond` in total (half each way), for `durationMs`: users write in their DMs
 * (a gateway MESSAGE_CREATE from the Discord fake) and agents reply in Flex (a message in the Twilio fake and its
 * signed onMessageAdded webhook). Conversations take turns, so each one sees an even share. Sends are paced from
 * the start time, so a late timer catches up instead of lowering the rate.
 */
export async function driveLoad(options: {
  fakes: Fakes;
  conversations: BenchConversation[];
  ledger: RelayLedger;
  ratePerSecond: number;
  durationMs: number;
  label: string;
  /** Only one way (default: both). */
  directions?: Direction[];
}): Promise<LoadResult> {
  const { fakes, conversations, ledger, ratePerSecond, durationMs, label } = options;
  const directions = options.directions ?? ['user_to_agent', 'agent_to_user'];
  const total = Math.round((ratePerSecond * durationMs) / 1000);
  const next = new Map<Direction, number>(directions.map((d) => [d, 0]));
  const pending = new Set<Promise<unknown>>();
  let sendErrors = 0;
  const start = Date.now();
  let sent = 0;
  const sendOne = (n: number) => {
    const direction = directions[n % directions.length]!;
    const i = next.get(direction)!;
    next.set(direction, i + 1);
    const conversation = conversations[i % conversations.length]!;
    const message = ledger.next(direction, conversation.index, label);
    send(fakes, conversation, message).catch(() => (sendErrors += 1));
  };
  const send = async (f: Fakes, c: BenchConversation, m: SentMessage) => {
    const text = RelayLedger.text(m);
    if (m.direction === 'user_to_agent') {
      f.discord.userSendsDm(c.userId, text);
      return;
    }
    const p = f.twilio.agentReplies(c.conversationSid, text, c.agentIdentity);
    pending.add(p);
    await p.finally(() => pending.delete(p));
  };
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) * ratePerSecond) / 1000) + 1);
    for (; sent < due; sent++) sendOne(sent);
    await new Promise((r) => setTimeout(r, 2));
  }
  const elapsed = Date.now() - start;
  await Promise.allSettled([...pending]);
  return {
    label,
    targetRate: ratePerSecond,
    sent: total - sendErrors,
    achievedRate: Number(((total * 1000) / Math.max(1, elapsed)).toFixed(1)),
    durationMs: elapsed,
    sendErrors,
  };
}

/**
 * Waits until every message sent under `label` has arrived, or nothing new arrived for `quietMs` (the rest are
 * lost), polling the fakes.
 */
export async function drain(
  fakes: Fakes,
  conversations: BenchConversation[],
  ledger: RelayLedger,
  filter: (s: SentMessage) => boolean,
  options: { quietMs?: number; maxMs?: number } = {},
): Promise<void> {
  const quietMs = options.quietMs ?? 30_000;
  const deadline = Date.now() + (options.maxMs ?? 600_000);
  const expected = [...ledger.sent.values()].filter(filter).length;
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const delivered = ledger.deliveredCount(
      ledger.arrivals(fakes.discord, fakes.twilio, conversations),
      filter,
    );
    if (delivered >= expected) return;
    if (delivered !== last) {
      last = delivered;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > quietMs || Date.now() > deadline) {
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
