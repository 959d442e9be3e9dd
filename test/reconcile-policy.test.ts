import assert from 'node:assert/strict';
import {
  afterRead,
  backoffMs,
  firstRead,
  jittered,
  nextReadAt,
  reconcilePolicy,
  stableUnit,
} from '../src/workflows/support/reconcile-policy';

/* The adaptive reconciliation schedule (issue 9 item 11), step by step with a fixed clock and fixed randomness. */
describe('reconciliation schedule', () => {
  const policy = reconcilePolicy(60, 480);
  const middle = () => 0.5; // no jitter

  it('defaults the maximum to eight intervals and never below one', () => {
    assert.deepEqual(reconcilePolicy(60), { baseMs: 60_000, maxMs: 480_000, jitter: 0.2 });
    assert.equal(reconcilePolicy(60, 10).maxMs, 60_000);
  });

  it('doubles the interval after each quiet read up to the maximum, and starts over when a read finds something', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((q) => backoffMs(policy, q)),
      [60_000, 120_000, 240_000, 480_000, 480_000, 480_000],
    );
    let clock = firstRead(policy, 0, middle);
    assert.equal(clock.dueAt, 60_000);
    const reads: number[] = [];
    for (let i = 0; i < 5; i++) {
      reads.push(nextReadAt(policy, clock));
      clock = afterRead(policy, clock, reads.at(-1)!, 0, middle);
    }
    assert.deepEqual(reads, [60_000, 180_000, 420_000, 900_000, 1_380_000]);
    clock = afterRead(policy, clock, 1_380_000, 2, middle);
    assert.equal(nextReadAt(policy, clock), 1_440_000, 'a read that found missed events: the base again');
  });

  it('stretches or shortens each interval by at most a fifth', () => {
    assert.equal(
      jittered(policy, 100_000, () => 0),
      80_000,
    );
    assert.equal(
      jittered(policy, 100_000, () => 0.999999),
      120_000,
    );
    const spread = new Set(Array.from({ length: 50 }, (_, i) => jittered(policy, 100_000, () => i / 50)));
    assert.ok(spread.size > 40, 'different conversations read at different moments');
  });

  it('draws jitter from a key, the same every time (a replay computes the same timer)', () => {
    assert.equal(stableUnit('support-g-u:1000'), stableUnit('support-g-u:1000'));
    const draws = Array.from({ length: 1000 }, (_, i) => stableUnit(`support-g${i}-u:1000`));
    assert.ok(draws.every((d) => d >= 0 && d < 1));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `spread over [0, 1): mean ${mean}`);
  });

  it('holds off while webhooks arrive, never beyond one maximum after the last read', () => {
    const clock = afterRead(policy, undefined, 0, 0, middle); // quiet once: due at 120 s
    assert.equal(nextReadAt(policy, clock), 120_000);
    assert.equal(nextReadAt(policy, clock, 100_000), 220_000, 'one interval after the webhook');
    assert.equal(nextReadAt(policy, clock, 450_000), 480_000, 'but at most the maximum after the last read');
    assert.equal(nextReadAt(policy, clock, -5), 120_000, 'a webhook before the last read changes nothing');
  });
});
