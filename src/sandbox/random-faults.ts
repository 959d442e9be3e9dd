/** What a randomly failed request gets, as the real APIs fail under load or at their edge. */
export type RandomFaultKind =
  /** 429 with Retry-After. */
  | 'rate_limited'
  /** A 5xx answer; nothing was done. */
  | 'server_error'
  /** The connection drops before anything is done: to the caller, a timeout. */
  | 'no_answer'
  /** The request is carried out, then the connection drops: the caller cannot tell it happened. */
  | 'answer_lost';

const KINDS: RandomFaultKind[] = ['rate_limited', 'server_error', 'no_answer', 'answer_lost'];

export interface RandomFaultOptions {
  /** Share of requests that fail, 0 to 1; the four kinds are equally likely. */
  rate: number;
  /** The same seed gives the same sequence of faults. */
  seed?: number;
}

/**
 * Chaos for the fakes: a share of requests fails at random, in a reproducible sequence. Opt-in (the benchmarks'
 * chaos suite turns it on); counts what it did, so a run can report the faults it survived.
 */
export class RandomFaults {
  readonly counts: Record<RandomFaultKind, number> = {
    rate_limited: 0,
    server_error: 0,
    no_answer: 0,
    answer_lost: 0,
  };
  private readonly random: () => number;

  constructor(readonly options: RandomFaultOptions) {
    this.random = seededRandom(options.seed ?? 1);
  }

  /** The fault for the next request, or undefined when it goes through. */
  next(): RandomFaultKind | undefined {
    if (this.random() >= this.options.rate) return undefined;
    const kind = KINDS[Math.floor(this.random() * KINDS.length)]!;
    this.counts[kind] += 1;
    return kind;
  }
}

/** mulberry32: a small, fast seeded generator; good enough to spread faults, never for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
