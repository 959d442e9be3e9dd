/** A fault the fake injects into its next matching REST answers. */
export interface Fault {
  /** Which requests it hits; default: every request. */
  match?: { method?: string; path?: RegExp };
  /** Answer with this status and a Twilio error body instead of handling the request. */
  status?: number;
  code?: number;
  message?: string;
  /** Sent as the Retry-After header (seconds). */
  retryAfterSeconds?: number;
  /** Wait this long before answering (with the fault, or normally when no status is given). */
  delayMs?: number;
  /**
   * Do what was asked, then lose the answer: the connection closes without a response, as when the caller's
   * timeout fires or its process dies first. The caller cannot tell whether anything happened.
   */
  dropAnswer?: boolean;
  /** The connection closes before anything is done: to the caller, a timeout. */
  dropRequest?: boolean;
  /** How many requests it hits; default 1. */
  times?: number;
}

export class FaultQueue {
  private readonly faults: (Fault & { remaining: number })[] = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** How many faults are still waiting for a request to hit (a test can tell its fault has been reached). */
  get pending(): number {
    return this.faults.length;
  }

  /** The first pending fault matching the request, used up by one. */
  take(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex(
      (f) =>
        (!f.match?.method || f.match.method.toUpperCase() === method.toUpperCase()) &&
        (!f.match?.path || f.match.path.test(path)),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }
}
