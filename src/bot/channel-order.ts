/**
 * Runs tasks one after the other per channel, in the order they were queued, and channels side by side: a user's
 * live messages are routed in the order they were written even when some of them wait (for the catch-up) and the
 * signal of one is slower than the next.
 */
export class ChannelOrder {
  private readonly tails = new Map<string, Promise<void>>();

  run(channelId: string, task: () => Promise<void>): Promise<void> {
    // Tasks handle their own errors; a failure must not stop the channel's next message either way.
    const tail = (this.tails.get(channelId) ?? Promise.resolve()).then(task).catch(() => undefined);
    this.tails.set(channelId, tail);
    void tail.then(() => {
      if (this.tails.get(channelId) === tail) this.tails.delete(channelId);
    });
    return tail;
  }
}
