import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MicroBatcher, SlotPool } from '../../src/runtime/micro-batcher.js';

// Issue 25, finding 3: freed slots went to the models in a fixed order (classifier first), so OCR, which needs a slot per
// line, got none while photos kept coming. Every test here asserts the order of events, never a wall-clock window.

/** A runner that records what it ran and finishes on the next turn of the event loop. */
function recorder(name: string, log: string[]) {
  return async (_slot: number, items: number[]) => {
    log.push(...items.map((item) => `${name}${item}`));
    await new Promise((resolve) => setImmediate(resolve));
    return items;
  };
}

const ONE_AT_ONCE = { maxBatchSize: 1, maxWaitMs: 0, queueMax: 1000 };

/** A runner that holds its slot until the test lets it go. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const run = async (_slot: number, items: number[]) => (await done, items);
  return { run, finish };
}

describe('fair slot hand-out between models, FIFO within one', () => {
  it('when two models wait for one slot, then they take turns, each in its own submission order', async () => {
    const log: string[] = [];
    const slots = new SlotPool(1);
    const classifier = new MicroBatcher(ONE_AT_ONCE, slots, recorder('c', log));
    const ocr = new MicroBatcher(ONE_AT_ONCE, slots, recorder('o', log));
    const all = [1, 2, 3, 4].map((i) => classifier.submit(i));
    all.push(ocr.submit(1), ocr.submit(2));
    await Promise.all(all);
    assert.deepEqual(log, ['c1', 'c2', 'o1', 'c3', 'o2', 'c4']);
  });

  it('when photos keep coming, then a request reading 6 text lines one after another still finishes among them', async () => {
    const log: string[] = [];
    const slots = new SlotPool(2);
    const classifier = new MicroBatcher({ ...ONE_AT_ONCE, maxBatchSize: 4 }, slots, recorder('c', log));
    const recognizer = new MicroBatcher(ONE_AT_ONCE, slots, recorder('o', log));
    let photos = 0;
    let stop = false;
    // 8 clients, each sending its next photo as soon as the last is answered, until the OCR request is done (or 500 photos:
    // with the old fixed order the lines waited for the whole flood).
    const client = async () => {
      while (!stop && photos < 500) await classifier.submit(photos++);
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((resolve) => setImmediate(resolve));
    for (let line = 0; line < 6; line++) await recognizer.submit(line);
    stop = true;
    await Promise.all(clients);
    assert.deepEqual(
      log.filter((entry) => entry.startsWith('o')),
      ['o0', 'o1', 'o2', 'o3', 'o4', 'o5'],
    );
    // A line waits for the batches running on the 2 slots and at most one more that was in line ahead of it: 3 x 4 photos.
    const gaps = log
      .join(' ')
      .split(/o\d/)
      .slice(0, 6)
      .map((run) => run.trim().split(' ').filter(Boolean).length);
    assert.ok(Math.max(...gaps) <= 3 * 4, `photos served before each line: ${gaps.join(', ')}`);
  });

  it('when a queued item is cancelled (its request is over), then it rejects with the reason and never runs', async () => {
    const log: string[] = [];
    const slots = new SlotPool(1);
    const blocker = held();
    const busy = new MicroBatcher(ONE_AT_ONCE, slots, blocker.run);
    const model = new MicroBatcher(ONE_AT_ONCE, slots, recorder('m', log));
    const running = busy.submit(0);
    const request = new AbortController();
    const queued = model.submit(1, '', request.signal);
    const other = model.submit(2);
    assert.equal(model.depth, 2);
    request.abort(new Error('deadline passed'));
    await assert.rejects(queued, /deadline passed/);
    assert.equal(model.depth, 1);
    blocker.finish();
    await Promise.all([running, other]);
    assert.deepEqual(log, ['m2']);
  });

  it('when the request is already over, then submit rejects at once and queues nothing', async () => {
    const batcher = new MicroBatcher(ONE_AT_ONCE, new SlotPool(1), recorder('m', []));
    const over = new AbortController();
    over.abort(new Error('client gone'));
    await assert.rejects(batcher.submit(1, '', over.signal), /client gone/);
    assert.equal(batcher.depth, 0);
  });

  it('when a model in line has all its items cancelled, then its turn passes to the next model', async () => {
    const log: string[] = [];
    const slots = new SlotPool(1);
    const blocker = held();
    const busy = new MicroBatcher(ONE_AT_ONCE, slots, blocker.run);
    const first = new MicroBatcher(ONE_AT_ONCE, slots, recorder('a', log));
    const second = new MicroBatcher(ONE_AT_ONCE, slots, recorder('b', log));
    const running = busy.submit(0);
    const request = new AbortController();
    const cancelled = first.submit(1, '', request.signal);
    const served = second.submit(1);
    request.abort(new Error('over'));
    await assert.rejects(cancelled, /over/);
    blocker.finish();
    await Promise.all([running, served]);
    assert.deepEqual(log, ['b1']);
  });
});
