import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { BURST_BYTES, createMemoryBudget } from '../../src/http/memory-budget.js';
import { collectAfterBursts, fullCollection } from '../../src/http/memory-release.js';

const MB = 1024 * 1024;

describe('memory back after a burst (issue 25: 128 uploads left their dead buffers in an idle server)', () => {
  it('when the reservations fall back to none after a peak of BURST_BYTES, then the burst is reported once; small traffic never', () => {
    let bursts = 0;
    const budget = createMemoryBudget(4 * BURST_BYTES, () => (bursts += 1));
    budget.tryReserve(10 * MB);
    budget.release(10 * MB);
    assert.equal(bursts, 0, 'a small request alone is no burst');
    const half = BURST_BYTES / 2;
    budget.tryReserve(half);
    budget.tryReserve(half);
    budget.release(half);
    assert.equal(bursts, 0, 'not while a request of the burst still holds bytes');
    budget.release(half);
    assert.equal(bursts, 1);
    budget.tryReserve(MB);
    budget.release(MB);
    assert.equal(bursts, 1, 'the peak starts again after each burst');
  });

  it('when bursts end in quick succession, then one collection runs a settling moment after the first, and one per interval after it', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      let now = 0;
      let collections = 0;
      const pull = collectAfterBursts(() => (collections += 1), { settleMs: 1_000, minIntervalMs: 5_000, now: () => now });
      pull();
      mock.timers.tick(999);
      assert.equal(collections, 0, 'not before the burst has settled');
      now = 1_000;
      mock.timers.tick(1);
      assert.equal(collections, 1);
      now = 2_000;
      pull();
      pull();
      mock.timers.tick(3_999);
      assert.equal(collections, 1, 'not before the interval is over');
      now = 6_000;
      mock.timers.tick(1);
      assert.equal(collections, 2, 'two pulls in the interval make one collection');
    } finally {
      mock.timers.reset();
    }
  });

  it('when node runs without --expose-gc, then the full collection still collects an unreachable object', async () => {
    const collect = fullCollection();
    let target: object | undefined = { payload: new Array(1000).fill(1) };
    const ref = new WeakRef(target);
    target = undefined;
    await new Promise((resolve) => setImmediate(resolve)); // a WeakRef keeps its target to the end of the current job
    assert.ok(ref.deref(), 'nothing collected it meanwhile');
    await new Promise((resolve) => setImmediate(resolve)); // deref() kept it again, to the end of that job
    collect();
    assert.equal(ref.deref(), undefined);
  });
});
