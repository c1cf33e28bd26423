import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MicroBatcher, SlotPool, type BatchStats } from '../../src/runtime/micro-batcher.js';

describe('MicroBatcher origins and fullness', () => {
  it('when items from two routes share a batch, then the batch stats name both origins in order', async () => {
    const seen: BatchStats[] = [];
    const run = async (_slot: number, items: number[]) => items.map((x) => x + 1);
    const batcher = new MicroBatcher({ maxBatchSize: 3, maxWaitMs: 50, queueMax: 10 }, new SlotPool(1), run, (s) => seen.push(s));
    const results = await Promise.all([batcher.submit(1, '/caption'), batcher.submit(2, '/moderate'), batcher.submit(3, '/caption')]);
    assert.deepEqual(results, [2, 3, 4]);
    assert.deepEqual(
      seen.map((s) => s.origins),
      [['/caption', '/moderate', '/caption']],
    );
  });

  it('when the queue reaches its bound, then full is true until a batch is dispatched', async () => {
    let release: () => void = () => {};
    const run = (_slot: number, items: number[]) => new Promise<number[]>((resolve) => (release = () => resolve(items)));
    const batcher = new MicroBatcher({ maxBatchSize: 1, maxWaitMs: 0, queueMax: 1 }, new SlotPool(1), run);
    const first = batcher.submit(1); // dispatched at once: the slot is free
    assert.equal(batcher.full, false);
    const second = batcher.submit(2); // waits for the slot
    assert.equal(batcher.full, true);
    release();
    assert.equal(await first, 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(batcher.full, false);
    release();
    assert.equal(await second, 2);
  });
});
