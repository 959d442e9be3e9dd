/**
 * Remembers the last N event keys, so a webhook Twilio delivers twice (or a duplicate TaskRouter callback)
 * signals once. The workflow dedupes by event id too; this spares Temporal the duplicate signal.
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** True the first time a key is seen (and remembers it), false for a repeat. */
  claim(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return true;
  }

  /** Forgets a key whose handling failed, so Twilio's redelivery is handled. */
  release(key: string): void {
    this.keys.delete(key);
  }
}

/** A small bounded map: the agent names learnt from join events, to label later messages. */
export class BoundedMap<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly capacity = 10_000) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }
}
