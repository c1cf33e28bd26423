import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadBundle, type ModelBundle } from '../../src/bundle/load-bundle.js';
import { loadConfig } from '../../src/config.js';
import { poolSlots } from '../../src/serving.js';
import { bundleDir } from '../support/bundles.js';
import { decodeImage } from '../../src/image/decode.js';
import { resizeForModel } from '../../src/image/resize.js';
import { InferencePool, NoLiveWorkerError } from '../../src/runtime/inference-pool.js';
import type { WorkerEvent, WorkerSupervisor } from '../../src/runtime/worker-supervisor.js';
import type { Worker } from 'node:worker_threads';
import { fixture } from '../support/service.js';

const DEFAULT_MODEL_DIR = bundleDir('classifier');
const NSFW_DIR = bundleDir('nsfw');

/** The worker thread behind a slot (tests kill it to play a crash). */
function workerOf(pool: InferencePool, slot: number): Worker {
  return (pool as unknown as { supervisor: WorkerSupervisor }).supervisor.handle(slot).worker;
}

describe('InferencePool with several real bundles', () => {
  let bundles: ModelBundle[];
  let pool: InferencePool;
  const restarts: number[] = [];

  before(async () => {
    assert.ok(existsSync(NSFW_DIR), `${NSFW_DIR} is part of the repository`);
    bundles = [await loadBundle(DEFAULT_MODEL_DIR), await loadBundle(NSFW_DIR)];
    pool = await InferencePool.start(
      bundles,
      { workers: 1, intraOpThreads: 1, provider: 'cpu', batch: { maxBatchSize: 4, maxWaitMs: 2, queueMax: 32 } },
      { onWorkerEvent: (event) => event.kind === 'replaced' && restarts.push(event.slot) },
    );
  });
  after(() => pool.close());

  async function pixelsFor(bundle: ModelBundle): Promise<Uint8Array> {
    const image = await decodeImage(fixture('cat.jpg'), { maxPixels: 50_000_000 });
    return resizeForModel(image, bundle.manifest.input);
  }

  it('when one decoded photo goes to two models, then each answers a probability vector of its own size', async () => {
    const [caption, nsfw] = bundles as [ModelBundle, ModelBundle];
    const [a, b] = await Promise.all([
      pool.infer(caption.manifest.name, await pixelsFor(caption)),
      pool.infer(nsfw.manifest.name, await pixelsFor(nsfw)),
    ]);
    assert.equal(a.length, caption.manifest.classes.length);
    assert.equal(b.length, nsfw.manifest.classes.length);
    for (const probabilities of [a, b]) assert.ok(Math.abs(probabilities.reduce((x, y) => x + y, 0) - 1) < 1e-3);
    assert.deepEqual(
      pool.status().map((s) => [s.name, s.provider, s.warm]),
      [
        [caption.manifest.name, 'cpu', true],
        [nsfw.manifest.name, 'cpu', true],
      ],
    );
  });

  it('when a model name is unknown, then infer rejects', async () => {
    await assert.rejects(pool.infer('no-such-model', new Uint8Array(3)), /no model named/);
  });

  it('when a worker dies, then it is replaced and later requests succeed', async () => {
    const caption = bundles[0]!;
    const pixels = await pixelsFor(caption);
    const before = await pool.infer(caption.manifest.name, pixels);
    await workerOf(pool, 0).terminate();
    const after = await pool.infer(caption.manifest.name, pixels);
    assert.deepEqual(restarts, [0]);
    assert.ok(after.every((p, i) => Math.abs(p - before[i]!) < 1e-5));
  });
});

describe('InferencePool when a replacement worker cannot start', () => {
  let dir: string;
  let pool: InferencePool;
  let bundle: ModelBundle;
  const events: WorkerEvent[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    dir = mkdtempSync(join(tmpdir(), 'imgsense-respawn-'));
    for (const file of ['model.json', 'model.onnx']) copyFileSync(join(DEFAULT_MODEL_DIR, file), join(dir, file));
    bundle = await loadBundle(dir);
    pool = await InferencePool.start(
      [bundle],
      {
        workers: 1,
        intraOpThreads: 1,
        provider: 'cpu',
        batch: { maxBatchSize: 4, maxWaitMs: 2, queueMax: 32 },
        respawn: { initialDelayMs: 20, maxDelayMs: 80, maxFailedStarts: 3 },
      },
      { onWorkerEvent: (event) => events.push(event) },
    );
  });
  after(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
    process.off('unhandledRejection', onUnhandled);
  });

  it('when the model file is gone and the worker dies, then replacements back off, give up, and requests fail fast instead of hanging', async () => {
    renameSync(join(dir, 'model.onnx'), join(dir, 'moved.onnx'));
    await workerOf(pool, 0).terminate();
    const queued = pool.infer(bundle.manifest.name, new Uint8Array(224 * 224 * 3)); // waits for a replacement that never comes
    await assert.rejects(queued, NoLiveWorkerError);
    assert.deepEqual(
      events.map((e) => e.kind),
      ['died', 'start_failed', 'start_failed', 'start_failed'],
    );
    const retries = events.flatMap((e) => (e.kind === 'start_failed' && e.retryInMs !== undefined ? [e.retryInMs] : []));
    assert.deepEqual(retries, [40, 80], 'the wait doubles up to its cap, and the last failure gives up');
    assert.equal(pool.status()[0]!.workers_live, 0);
    await assert.rejects(pool.infer(bundle.manifest.name, new Uint8Array(224 * 224 * 3)), NoLiveWorkerError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(unhandled, []);
  });
});

describe('InferencePool serving OCR slots from the serving file (shapes, dynamic width)', () => {
  let detector: ModelBundle;
  let recognizer: ModelBundle;
  let pool: InferencePool;
  const batches: [string, number][] = [];

  before(async () => {
    const { serving } = loadConfig({ IMGSENSE_OCR_INTRA_OP_THREADS: '1' });
    [detector, recognizer] = await Promise.all([loadBundle(bundleDir('text_detector')), loadBundle(bundleDir('text_recognizer'))]);
    const slots = poolSlots(serving, { text_detector: detector, text_recognizer: recognizer });
    pool = await InferencePool.start(
      [detector, recognizer],
      { workers: 1, intraOpThreads: 1, provider: 'cpu', batch: { maxBatchSize: 4, maxWaitMs: 2, queueMax: 32 }, slots },
      { onBatch: (model, stats) => batches.push([model, stats.size]) },
    );
  });
  after(() => pool.close());

  it("when the detector is asked at each shape it serves, then its map has that shape's pixels, under its own name", async () => {
    assert.deepEqual(pool.shapesOf(detector.manifest.name), [
      { width: 640, height: 640 },
      { width: 640, height: 320 },
      { width: 320, height: 640 },
    ]);
    for (const shape of pool.shapesOf(detector.manifest.name)) {
      const map = await pool.infer(detector.manifest.name, new Uint8Array(shape.width * shape.height * 3).fill(200), 'test', shape);
      assert.equal(map.length, shape.width * shape.height);
    }
    assert.ok(batches.every(([model]) => model === detector.manifest.name));
  });

  it('when the detector is asked at a shape it does not serve, then infer rejects', async () => {
    await assert.rejects(
      pool.infer(detector.manifest.name, new Uint8Array(320 * 320 * 3), 'test', { width: 320, height: 320 }),
      /not served at 320x320/,
    );
  });

  it('when lines of several widths go to the recogniser, then each runs alone at its own width', async () => {
    batches.length = 0;
    const widths = [320, 352, 640];
    const outputs = await pool.inferEach(
      widths.map((width) => ({ model: recognizer.manifest.name, pixels: new Uint8Array(48 * width * 3).fill(255) })),
    );
    const perColumn = outputs.map((output, i) => output.length / widths[i]!);
    assert.ok(
      perColumn.every((ratio) => ratio === perColumn[0]),
      `output per input column: ${perColumn}`,
    );
    assert.deepEqual(
      batches.map(([, size]) => size),
      [1, 1, 1],
    );
  });
});

describe('InferencePool closing while a batch runs', () => {
  it('when the pool closes while its worker runs a batch, then the batch is answered and the worker exits by itself (terminating it inside the run aborted the process)', async () => {
    const bundle = await loadBundle(DEFAULT_MODEL_DIR);
    let posted!: () => void;
    const batchPosted = new Promise<void>((resolve) => (posted = resolve));
    const options = { workers: 1, intraOpThreads: 1, provider: 'cpu', batch: { maxBatchSize: 4, maxWaitMs: 2, queueMax: 32 } } as const;
    const pool = await InferencePool.start([bundle], options, { onBatch: () => posted() });
    const exitCode = new Promise<number>((resolve) => workerOf(pool, 0).once('exit', resolve));
    const pixels = await resizeForModel(await decodeImage(fixture('cat.jpg'), { maxPixels: 50_000_000 }), bundle.manifest.input);
    const answers = Array.from({ length: 4 }, () => pool.infer(bundle.manifest.name, pixels));
    await batchPosted; // the batch is on its way to the worker when the pool closes
    await pool.close();
    for (const probabilities of await Promise.all(answers)) assert.ok(Math.abs(probabilities.reduce((x, y) => x + y, 0) - 1) < 1e-3);
    assert.equal(await exitCode, 0, 'the worker exited itself (a terminated worker exits 1)');
  });
});
