import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { pino } from 'pino';
import { requestDeadline } from '../../src/http/deadline.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { problemHandler } from '../../src/http/problem.js';
import { requestContext } from '../../src/http/request-id.js';
import { MicroBatcher, SlotPool } from '../../src/runtime/micro-batcher.js';
import { requestSignal } from '../../src/runtime/request-signal.js';
import { assertMatchesSpec } from '../support/service.js';

// Issue 25, finding 3: nothing had a deadline, and a request's queued work outlived it. The one slot is held by a runner
// the test lets go, so the order of events is fixed: the deadline passes while the request's item is still queued.

const DEADLINE_MS = 300;
let base: string;
let server: ReturnType<express.Express['listen']>;
let finishBlocker!: () => void;
const ran: number[] = [];
const slots = new SlotPool(1);
const blocker = new MicroBatcher({ maxBatchSize: 1, maxWaitMs: 0, queueMax: 10 }, slots, async (_slot, items: number[]) => {
  await new Promise<void>((resolve) => (finishBlocker = resolve));
  return items;
});
const model = new MicroBatcher({ maxBatchSize: 1, maxWaitMs: 0, queueMax: 10 }, slots, async (_slot, items: number[]) => {
  ran.push(...items);
  return items;
});

before(async () => {
  const metrics = createMetrics();
  const app = express();
  app.use(requestContext(pino({ level: 'silent' }), metrics));
  // What InferencePool.infer does: the item is queued with the signal of the request it serves.
  const infer: express.RequestHandler = async (req, res) => {
    res.json({ result: await model.submit(Number(req.params.item), '', requestSignal()) });
  };
  app.post('/short/:item', requestDeadline(DEADLINE_MS, metrics), infer);
  app.post('/long/:item', requestDeadline(60_000, metrics), infer); // never reached, however busy the machine
  app.use(problemHandler(metrics));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

describe('the request deadline', () => {
  it('when the work is still queued at the deadline, then 503 deadline_exceeded problem+json and the work never runs', async () => {
    const busy = blocker.submit(0);
    const response = await fetch(`${base}/short/1`, { method: 'POST' });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(response.headers.get('retry-after'), '1');
    const body = (await response.json()) as { code: string };
    assertMatchesSpec('problem', body);
    assert.equal(body.code, 'deadline_exceeded');
    assert.equal(model.depth, 0, 'the queued item left with its request');
    finishBlocker();
    await busy;
    assert.deepEqual(ran, []);
  });

  it('when the client leaves while its work is queued, then the work is dropped before the deadline', async () => {
    const busy = blocker.submit(0);
    const client = new AbortController();
    const answer = fetch(`${base}/long/2`, { method: 'POST', signal: client.signal }).catch(() => 'aborted');
    while (model.depth === 0) await new Promise((resolve) => setImmediate(resolve));
    client.abort();
    assert.equal(await answer, 'aborted');
    while (model.depth > 0) await new Promise((resolve) => setImmediate(resolve));
    finishBlocker();
    await busy;
    assert.deepEqual(ran, []);
  });

  it('when the work runs in time, then its answer is sent and the deadline never fires', async () => {
    const response = await fetch(`${base}/long/3`, { method: 'POST' });
    assert.deepEqual(await response.json(), { result: 3 });
    assert.deepEqual(ran, [3]);
  });
});
