/*
 * When a conversation next reads Flex to make up for lost webhooks (issue 9 item 11). Pure, no workflow imports: the
 * workflow plans its durable timer with it, and `npm run bench -- reconcile` replays the same schedule.
 *
 * Reading every conversation every interval costs the Twilio account requests that real relays need. Instead:
 * - back off: after each read that found nothing the webhooks had not already delivered, the next interval doubles,
 *   from the base up to the maximum; a read that found something missed goes back to the base;
 * - hold off while webhooks arrive: each Flex event delivered by webhook shows the webhooks work, so the next read
 *   waits at least one current interval after it, but never beyond one maximum interval after the last read;
 * - jitter: each interval is stretched or shortened by up to `jitter` of itself, so conversations handed over or
 *   resumed together (a deploy, a burst of hand-overs) spread their reads instead of reading in step.
 */

export interface ReconcilePolicy {
  baseMs: number;
  maxMs: number;
  /** The fraction an interval may be stretched or shortened by, e.g. 0.2. */
  jitter: number;
}

export const RECONCILE_JITTER = 0.2;
/** Without a configured maximum, the schedule backs off to this many base intervals. */
export const DEFAULT_MAX_INTERVALS = 8;

/** Where the back-off stands; carried with the conversation's state. */
export interface ReconcileClock {
  /** When the last read ran. */
  lastReadAt: number;
  /** Reads in a row that found nothing missed. */
  quietReads: number;
  /** When the next read is due by the back-off alone (jitter included). */
  dueAt: number;
}

export function reconcilePolicy(baseSeconds: number, maxSeconds?: number): ReconcilePolicy {
  const baseMs = baseSeconds * 1000;
  const maxMs = Math.max(baseMs, (maxSeconds ?? baseSeconds * DEFAULT_MAX_INTERVALS) * 1000);
  return { baseMs, maxMs, jitter: RECONCILE_JITTER };
}

/** The interval after `quietReads` reads that found nothing: the base, doubled each time, up to the maximum. */
export function backoffMs(policy: ReconcilePolicy, quietReads: number): number {
  return Math.min(policy.baseMs * 2 ** Math.min(quietReads, 30), policy.maxMs);
}

/**
 * A number in [0, 1) that depends only on `key`: jitter that replays exactly. Workflow code does not use Math.random
 * for it: the workflow's random stream is shared with code (interceptors, ids) whose draws need not be the same on
 * replay, and a timer computed from it would then differ from the one in history.
 */
export function stableUnit(key: string): number {
  // FNV-1a, 32 bits.
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
}

/** `ms` stretched or shortened by up to the policy's jitter; `random` in [0, 1). */
export function jittered(policy: ReconcilePolicy, ms: number, random: () => number): number {
  return Math.round(ms * (1 + policy.jitter * (2 * random() - 1)));
}

/** The schedule right after a read at `now` that found `missed` events the webhooks had not delivered. */
export function afterRead(
  policy: ReconcilePolicy,
  previous: ReconcileClock | undefined,
  now: number,
  missed: number,
  random: () => number,
): ReconcileClock {
  const quietReads = missed > 0 ? 0 : (previous?.quietReads ?? 0) + 1;
  return {
    lastReadAt: now,
    quietReads,
    dueAt: now + jittered(policy, backoffMs(policy, quietReads), random),
  };
}

/** The first read after a hand-over at `since`: one base interval later, jittered. */
export function firstRead(policy: ReconcilePolicy, since: number, random: () => number): ReconcileClock {
  return { lastReadAt: since, quietReads: 0, dueAt: since + jittered(policy, policy.baseMs, random) };
}

/**
 * When the next read is due: the back-off, held off by a webhook heard at `heardAt`, never past one maximum after
 * the last read.
 */
export function nextReadAt(policy: ReconcilePolicy, clock: ReconcileClock, heardAt?: number): number {
  if (heardAt === undefined || heardAt <= clock.lastReadAt) return clock.dueAt;
  const heldOff = Math.max(clock.dueAt, heardAt + backoffMs(policy, clock.quietReads));
  return Math.min(heldOff, Math.max(clock.dueAt, clock.lastReadAt + policy.maxMs));
}
