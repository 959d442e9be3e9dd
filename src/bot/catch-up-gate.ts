/**
 * How a live message's wait for the catch-up ended: it had nothing to wait for, it waited until the catch-up was
 * done with its channel, or it stopped waiting (bounded) before that.
 */
export type CatchUpWait = 'not_held' | 'in_order' | 'gave_up';

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Where the catch-up of a new gateway session stands, channel by channel, so that a live message waits only for
 * its own channel: until the catch-up knows which channels it must read (it asks the conversations), then until its
 * channel has been read back and what was missed there has been routed. Other channels go on. Every wait is
 * bounded: a channel whose read keeps failing does not hold its live messages for ever (they go, marked as before
 * the catch-up so the conversation's cursor stays, and the missed ones still come when the read succeeds).
 */
export class CatchUpGate {
  /** Bumped by every new gateway session: a catch-up of an earlier one no longer speaks for this one. */
  private session = 0;
  private active = false;
  /** Unresolved until a listing of this session has succeeded. */
  private listing: Deferred | undefined;
  /** Channels listed this session and not read back yet. */
  private readonly pending = new Map<string, Deferred>();
  /** Channels read back this session: a retry of the catch-up need not read them again. */
  private readonly readBackThisSession = new Set<string>();
  /** Channels whose live messages stopped waiting: later ones do not wait either, until it is read back. */
  private readonly gaveUp = new Set<string>();
  /** Live messages waiting per channel: the catch-up reads those channels first. */
  private readonly waiting = new Map<string, number>();

  /** A new gateway session (not a resume): nothing counts as read back until its catch-up says so. */
  begin(): number {
    this.session += 1;
    this.active = true;
    if (!this.listing) this.listing = deferred();
    this.readBackThisSession.clear();
    this.gaveUp.clear();
    return this.session;
  }

  /** The catch-up of `session` found these channels to read; returns those not read back yet in the session. */
  listed(session: number, channelIds: Iterable<string>): string[] {
    if (session !== this.session) return [...channelIds];
    const toRead = [...channelIds].filter((id) => !this.readBackThisSession.has(id));
    for (const id of toRead) if (!this.pending.has(id)) this.pending.set(id, deferred());
    // A channel pending from an earlier session that is no longer listed has nothing to read back.
    for (const id of [...this.pending.keys()]) if (!toRead.includes(id)) this.settle(id);
    this.listing?.resolve();
    this.listing = undefined;
    return toRead;
  }

  /** The catch-up of `session` has read `channelId` back and routed what was missed there. */
  readBack(session: number, channelId: string): void {
    if (session !== this.session) return;
    this.readBackThisSession.add(channelId);
    this.settle(channelId);
  }

  /** The catch-up of `session` read every channel back. */
  finished(session: number): void {
    if (session !== this.session) return;
    this.active = false;
    for (const id of [...this.pending.keys()]) this.settle(id);
    this.listing?.resolve();
    this.listing = undefined;
  }

  /** Whether a message in this channel can be routed as in order: no catch-up is still to read it back. */
  settled(channelId: string): boolean {
    return !this.active || (this.listing === undefined && !this.pending.has(channelId));
  }

  /** Of `channelIds`, the index of one a live message is waiting for (the catch-up reads it first), or 0. */
  firstWanted(channelIds: readonly string[]): number {
    return Math.max(
      0,
      channelIds.findIndex((id) => (this.waiting.get(id) ?? 0) > 0),
    );
  }

  /** Waits until `channelId` is settled, or at most `maxMs`. */
  async waitFor(channelId: string, maxMs: number): Promise<CatchUpWait> {
    if (this.settled(channelId)) return 'not_held';
    if (this.gaveUp.has(channelId)) return 'gave_up';
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), maxMs);
    });
    this.waiting.set(channelId, (this.waiting.get(channelId) ?? 0) + 1);
    try {
      while (!this.settled(channelId)) {
        if (this.gaveUp.has(channelId)) return 'gave_up';
        const next = this.listing?.promise ?? this.pending.get(channelId)?.promise ?? Promise.resolve();
        if ((await Promise.race([next, timedOut])) === 'timeout') {
          this.gaveUp.add(channelId);
          return 'gave_up';
        }
      }
      return 'in_order';
    } finally {
      clearTimeout(timer);
      const left = (this.waiting.get(channelId) ?? 1) - 1;
      if (left > 0) this.waiting.set(channelId, left);
      else this.waiting.delete(channelId);
    }
  }

  private settle(channelId: string): void {
    this.pending.get(channelId)?.resolve();
    this.pending.delete(channelId);
    this.gaveUp.delete(channelId);
  }
}
