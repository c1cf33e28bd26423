import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MicroBatcher, QueueFullError, SlotPool } from '../../src/runtime/micro-batcher.js';

/** A batch runner that doubles numbers after `ms`, recording the batches it saw. */
function doubler(ms: number) {
  const batches: number[][] = [];
  const run = async (_slot: number, items: number[]) => {
    batches.push(items);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return items.map((x) => x * 2);
  };
  return { batches, run };
}

describe('MicroBatcher', () => {
  it('when requests arrive together, then they share batches no larger than the maximum', async () => {
    const { batches, run } = doubler(20);
    const batcher = new MicroBatcher({ maxBatchSize: 4, maxWaitMs: 50, queueMax: 100 }, new SlotPool(1), run); // 50 ms: robust to a busy machine
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.submit(i)));
    assert.deepEqual(
      results,
      Array.from({ length: 10 }, (_, i) => i * 2),
    );
    assert.deepEqual(
      batches.map((b) => b.length),
      [4, 4, 2],
    );
  });

  it('when a lone request arrives, then it is dispatched after at most the maximum wait', async () => {
    const { batches, run } = doubler(0);
    const batcher = new MicroBatcher({ maxBatchSize: 8, maxWaitMs: 30, queueMax: 100 }, new SlotPool(1), run);
    const started = performance.now();
    assert.equal(await batcher.submit(21), 42);
    const elapsed = performance.now() - started;
    // A lower bound only: it waited for its batch to fill; a busy machine may run the timer late, never early.
    assert.ok(elapsed >= 25, `took ${elapsed} ms`);
    assert.deepEqual(batches, [[21]]);
  });

  it('when the queue is full, then submit rejects at once with QueueFullError', async () => {
    const { run } = doubler(50);
    const batcher = new MicroBatcher({ maxBatchSize: 1, maxWaitMs: 0, queueMax: 2 }, new SlotPool(1), run);
    const accepted = [batcher.submit(1), batcher.submit(2), batcher.submit(3)];
    await assert.rejects(batcher.submit(4), QueueFullError);
    assert.deepEqual(await Promise.all(accepted), [2, 4, 6]);
  });

  it('when the runner fails, then every request of that batch is rejected and later batches still run', async () => {
    let calls = 0;
    const run = async (_slot: number, items: number[]) => {
      if (calls++ === 0) throw new Error('boom');
      return items;
    };
    const batcher = new MicroBatcher({ maxBatchSize: 2, maxWaitMs: 20, queueMax: 10 }, new SlotPool(1), run);
    const first = [batcher.submit(1), batcher.submit(2)];
    await assert.rejects(first[0]!, /boom/);
    await assert.rejects(first[1]!, /boom/);
    assert.equal(await batcher.submit(3), 3);
  });

  it('when two models share two slots, then both run at once', async () => {
    const slots = new SlotPool(2);
    const active = { now: 0, max: 0 };
    const run = async (_slot: number, items: number[]) => {
      active.max = Math.max(active.max, ++active.now);
      await new Promise((resolve) => setTimeout(resolve, 30));
      active.now--;
      return items;
    };
    const a = new MicroBatcher({ maxBatchSize: 1, maxWaitMs: 0, queueMax: 10 }, slots, run);
    const b = new MicroBatcher({ maxBatchSize: 1, maxWaitMs: 0, queueMax: 10 }, slots, run);
    await Promise.all([a.submit(1), b.submit(2), a.submit(3), b.submit(4)]);
    assert.equal(active.max, 2);
  });
});
