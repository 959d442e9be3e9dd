import { type FakeDiscord } from '../../src/sandbox/discord';
import { type FakeTwilio } from '../../src/sandbox/twilio/fake-twilio';

export type Direction = 'user_to_agent' | 'agent_to_user';

/** One support conversation under load: the Discord user, their DM, and the Flex conversation. */
export interface BenchConversation {
  index: number;
  userId: string;
  dmChannelId: string;
  conversationSid: string;
  agentIdentity: string;
  agentName: string;
}

export interface SentMessage {
  token: string;
  direction: Direction;
  conversation: number;
  /** Position among the messages sent this way in this conversation (for the order check). */
  seq: number;
  sentAt: number;
  /** Which phase of a run sent it (a rate step, a fault), so results can be split. */
  label: string;
}

export interface Arrival {
  token: string;
  at: number;
}

/** Per direction: what was sent, what arrived how often, and in which order. */
export interface DeliveryCount {
  sent: number;
  delivered: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  latenciesMs: number[];
  worstDelayMs: number;
  /** A few of the out-of-order arrivals, to say what went wrong: `<conversation>: seq 7 after seq 9 (...)`. */
  orderExamples: string[];
  /** A few of the lost messages: direction, conversation, seq, phase and when it was sent. */
  lostExamples: string[];
}

const TOKEN = /\[m:([a-z0-9-]+)\]/g;

/**
 * Every message the load sends carries a unique token (`[m:<run>-<n>]`); the ledger finds each token again where it
 * must arrive (the customer's messages in the Flex conversation, the bot's posts in the user's DM), at the fakes, so
 * loss, duplication, order and latency are counted on what the vendors received, not on what flexcord believes.
 */
export class RelayLedger {
  readonly sent = new Map<string, SentMessage>();
  private readonly seqs = new Map<string, number>();
  private counter = 0;

  constructor(readonly runId: string) {}

  /** A new token and the body text that carries it. */
  next(direction: Direction, conversation: number, label: string, sentAt = Date.now()): SentMessage {
    this.counter += 1;
    const token = `${this.runId}-${this.counter}`;
    const key = `${direction}:${conversation}`;
    const seq = (this.seqs.get(key) ?? 0) + 1;
    this.seqs.set(key, seq);
    const sent = { token, direction, conversation, seq, sentAt, label };
    this.sent.set(token, sent);
    return sent;
  }

  static text(sent: SentMessage): string {
    const who = sent.direction === 'user_to_agent' ? 'customer' : 'agent';
    return `[m:${sent.token}] ${who} message ${sent.seq}: the launcher still shows the spinning wheel after update`;
  }

  /** Tokens as they arrived, in arrival order, per conversation and direction. */
  arrivals(
    discord: FakeDiscord,
    twilio: FakeTwilio,
    conversations: BenchConversation[],
  ): Map<string, Arrival[]> {
    const out = new Map<string, Arrival[]>();
    for (const c of conversations) {
      const toAgent: Arrival[] = [];
      const flex = twilio.conversations.get(c.conversationSid);
      for (const m of flex?.messages ?? []) {
        if (m.author === c.agentIdentity) continue;
        for (const token of tokensIn(m.body ?? '')) toAgent.push({ token, at: m.createdAt.getTime() });
      }
      out.set(`user_to_agent:${c.index}`, toAgent);
      const toUser: Arrival[] = [];
      for (const m of discord.messagesIn(c.dmChannelId)) {
        if (m.author.id !== discord.botUser.id) continue;
        for (const token of tokensIn(m.content ?? '')) toUser.push({ token, at: Date.parse(m.timestamp) });
      }
      out.set(`agent_to_user:${c.index}`, toUser);
    }
    return out;
  }

  /** How many sent tokens have arrived at least once (cheap enough to poll while a run drains). */
  deliveredCount(arrivals: Map<string, Arrival[]>, filter?: (s: SentMessage) => boolean): number {
    const seen = new Set<string>();
    for (const list of arrivals.values()) for (const a of list) seen.add(a.token);
    let n = 0;
    for (const s of this.sent.values()) if (seen.has(s.token) && (!filter || filter(s))) n += 1;
    return n;
  }

  /** The counts for one direction over the sent messages that `filter` keeps. */
  count(
    arrivals: Map<string, Arrival[]>,
    direction: Direction,
    filter: (s: SentMessage) => boolean = () => true,
  ): DeliveryCount {
    const result: DeliveryCount = {
      sent: 0,
      delivered: 0,
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
      latenciesMs: [],
      worstDelayMs: 0,
      orderExamples: [],
      lostExamples: [],
    };
    const byConversation = new Map<number, Arrival[]>();
    const copiesOf = new Map<string, Arrival[]>();
    for (const [key, list] of arrivals) {
      const [dir, index] = key.split(':');
      if (dir !== direction) continue;
      byConversation.set(Number(index), list);
      for (const a of list) {
        const s = this.sent.get(a.token);
        // A token in another conversation than it was sent to is a crossed message: counted as lost there.
        if (!s || s.conversation !== Number(index)) continue;
        copiesOf.set(a.token, [...(copiesOf.get(a.token) ?? []), a]);
      }
    }
    for (const s of this.sent.values()) {
      if (s.direction !== direction || !filter(s)) continue;
      result.sent += 1;
      const copies = copiesOf.get(s.token) ?? [];
      if (copies.length === 0) {
        result.lost += 1;
        if (result.lostExamples.length < 10)
          result.lostExamples.push(
            `${direction} #${s.conversation}: seq ${s.seq} [m:${s.token}] (${s.label}, sent ${new Date(s.sentAt).toISOString()})`,
          );
        continue;
      }
      result.delivered += 1;
      if (copies.length > 1) result.duplicated += copies.length - 1;
      const latency = Math.max(0, copies[0]!.at - s.sentAt);
      result.latenciesMs.push(latency);
      result.worstDelayMs = Math.max(result.worstDelayMs, latency);
    }
    // Order: within a conversation, the first arrivals of the kept messages must come in the order they were sent.
    for (const [conversation, list] of byConversation) {
      let last: SentMessage | undefined;
      const firstSeen = new Set<string>();
      for (const a of list) {
        if (firstSeen.has(a.token)) continue;
        firstSeen.add(a.token);
        const s = this.sent.get(a.token);
        if (!s || s.direction !== direction || !filter(s)) continue;
        if (last && s.seq < last.seq) {
          result.outOfOrder += 1;
          if (result.orderExamples.length < 10)
            result.orderExamples.push(
              `${direction} #${conversation}: seq ${s.seq} (${s.label}, sent ${new Date(s.sentAt).toISOString()}) ` +
                `arrived after seq ${last.seq} (${last.label}, sent ${new Date(last.sentAt).toISOString()})`,
            );
        } else last = s;
      }
    }
    return result;
  }
}

function tokensIn(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((m) => m[1]!);
}

/** The p-th percentile (nearest rank) of values; 0 for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
