import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type ConfigError, loadConfig } from '../../src/config.js';
import { readServingFile, resolveServing } from '../../src/serving.js';

const DEFAULTS = { intraOpThreads: 1, memoryArena: true, batch: { maxBatchSize: 4, maxWaitMs: 2 }, cores: 8 };

function servingFile(document: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'serving-')), 'serving.json');
  writeFileSync(path, JSON.stringify(document));
  return path;
}

describe('the serving file', () => {
  it('when the shipped file is read, then it passes its schema and OCR is ordinary slots with their own fields', () => {
    const { document, problems } = readServingFile('models/serving.json');
    assert.deepEqual(problems, []);
    const serving = resolveServing(document!, DEFAULTS);
    assert.deepEqual(Object.keys(serving).sort(), ['classifier', 'detector', 'face_detector', 'nsfw', 'text_detector', 'text_recognizer']);
    const { text_detector: detector, text_recognizer: recognizer, classifier } = serving;
    assert.deepEqual([detector!.intraOpThreads, detector!.memoryArena, detector!.workingDecode], [8, false, false]);
    assert.deepEqual(detector!.shapes, [
      { width: 640, height: 320 },
      { width: 320, height: 640 },
    ]);
    assert.deepEqual([recognizer!.dynamicWidth, recognizer!.batch.maxBatchSize, recognizer!.batch.maxWaitMs], [true, 1, 2]);
    assert.deepEqual(
      [classifier!.intraOpThreads, classifier!.memoryArena, classifier!.dynamicWidth, classifier!.workingDecode],
      [1, true, false, true],
    );
  });

  it('when the GPU profile is read, then it passes its schema, serves the same bundles and batches up to 32', () => {
    const shipped = resolveServing(readServingFile('models/serving.json').document!, DEFAULTS);
    const { document, problems } = readServingFile('models/serving-gpu.json');
    assert.deepEqual(problems, []);
    const gpu = resolveServing(document!, DEFAULTS);
    assert.deepEqual(
      Object.fromEntries(Object.entries(gpu).map(([slot, s]) => [slot, s!.bundle])),
      Object.fromEntries(Object.entries(shipped).map(([slot, s]) => [slot, s!.bundle])),
    );
    assert.deepEqual([gpu.classifier!.batch.maxBatchSize, gpu.classifier!.batch.maxWaitMs, gpu.classifier!.intraOpThreads], [32, 4, 1]);
    assert.equal(gpu.text_recognizer!.batch.maxBatchSize, 1);
  });

  it('when a slot row breaks the schema, then start-up names the file and the field', () => {
    const path = servingFile({ format_version: 1, slots: { classifier: { bundle: 'models/x', intra_op_threads: 0, threads: 2 } } });
    assert.throws(
      () => loadConfig({ IMGSENSE_SERVING_FILE: path }),
      (error: ConfigError) =>
        error.problems.length >= 2 && error.problems.every((problem) => problem.startsWith(`SERVING_FILE ${path}: /slots/classifier`)),
    );
    assert.throws(() => loadConfig({ IMGSENSE_SERVING_FILE: join(tmpdir(), 'no-such-serving.json') }), /cannot read it as JSON/);
  });

  it('when a per-model variable is set, then it overrides that slot field only', () => {
    const path = servingFile({
      format_version: 1,
      slots: { classifier: { bundle: 'models/a', intra_op_threads: 2, batch: { max_size: 8 } }, detector: { bundle: 'models/d' } },
    });
    const { serving } = loadConfig({
      IMGSENSE_SERVING_FILE: path,
      IMGSENSE_MODEL_DIR: '/m/c',
      IMGSENSE_BATCH_MAX_SIZE: '3',
      IMGSENSE_INTRA_OP_THREADS: '5',
    });
    assert.deepEqual(
      [serving.classifier!.bundle, serving.classifier!.intraOpThreads, serving.classifier!.batch.maxBatchSize],
      ['/m/c', 2, 8],
    );
    assert.deepEqual(
      [serving.detector!.bundle, serving.detector!.intraOpThreads, serving.detector!.batch.maxBatchSize],
      ['models/d', 5, 3],
    );
  });

  it('when a detect slot sets post-processing, then it is carried in camel case', () => {
    const path = servingFile({
      format_version: 1,
      slots: { detector: { bundle: 'models/d', postprocess: { score_threshold: 0.4, max_detections: 20 } } },
    });
    assert.deepEqual(loadConfig({ IMGSENSE_SERVING_FILE: path }).serving.detector!.postprocess, { scoreThreshold: 0.4, maxDetections: 20 });
  });
});
