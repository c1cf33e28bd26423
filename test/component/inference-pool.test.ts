import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadBundle, type ModelBundle } from '../../src/bundle/load-bundle.js';
import { DEFAULT_MODEL_DIR } from '../../src/config.js';
import { decodeImage } from '../../src/image/decode.js';
import { resizeForModel } from '../../src/image/resize.js';
import { InferencePool } from '../../src/runtime/inference-pool.js';
import { fixture } from '../support/service.js';

const NSFW_DIR = 'models/nsfw-mobilenetv2';

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
      { onWorkerRestart: (slot) => restarts.push(slot) },
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
    assert.deepEqual(pool.status().map((s) => [s.name, s.provider, s.warm]), [
      [caption.manifest.name, 'cpu', true],
      [nsfw.manifest.name, 'cpu', true],
    ]);
  });

  it('when a model name is unknown, then infer rejects', async () => {
    await assert.rejects(pool.infer('no-such-model', new Uint8Array(3)), /no model named/);
  });

  it('when a worker dies, then it is replaced and later requests succeed', async () => {
    const caption = bundles[0]!;
    const pixels = await pixelsFor(caption);
    const before = await pool.infer(caption.manifest.name, pixels);
    await (pool as unknown as { handles: { worker: { terminate(): Promise<number> } }[] }).handles[0]!.worker.terminate();
    assert.deepEqual(restarts, [0]);
    const after = await pool.infer(caption.manifest.name, pixels);
    assert.ok(after.every((p, i) => Math.abs(p - before[i]!) < 1e-5));
  });
});
