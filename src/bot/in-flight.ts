/**
 * The work the bot has started for Discord events and not finished: a graceful stop waits for it, so nothing a
 * user just wrote is cut off halfway (the bot role closes its case database right after the bot stops).
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  /** Runs `work`, counted until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Waits until nothing is running or `waitMs` has passed; answers how many were still running then. */
  async drain(waitMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    const allSettled = async () => {
      // Work may start while earlier work finishes (a message released from the catch-up gate).
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
    };
    await Promise.race([allSettled(), timeUp]);
    clearTimeout(timer);
    return this.running.size;
  }
}
