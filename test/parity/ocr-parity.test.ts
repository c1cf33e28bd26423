// The served OCR (bundles ppocr-v4-det + ppocr-v4-rec through the pool, with the TypeScript post-processing in
// src/models/text-*.ts) against rapidocr-onnxruntime 1.4.4's own Python pipeline on the same images at the same scale
// (test/fixtures/ocr-reference.json, written by training/hashtagnet/convert/ppocr_reference.py). The two differ by
// design in one place, boxes (axis-aligned here, rotated rectangles there), which moves where a crop ends and so where
// the recogniser hears a space; so the comparison is line for line with spaces set aside: each of rapidocr's lines
// against the closest line read here, character error rate over the image, and the number of lines.
// Run: node --import tsx --test test/parity/ocr-parity.test.ts
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadBundle } from '../../src/bundle/load-bundle.js';
import { loadConfig } from '../../src/config.js';
import { decodeImage } from '../../src/image/decode.js';
import { ImageSource } from '../../src/image/image-source.js';
import { TextReader } from '../../src/models/text-reader.js';
import { InferencePool } from '../../src/runtime/inference-pool.js';
import { poolSlots, slotOf } from '../../src/serving.js';
import { levenshtein, normaliseText } from '../../textset/score-text.js';

interface Reference {
  images: { file: string; sha256: string; lines: { text: string }[] }[];
}
const reference = JSON.parse(readFileSync('test/fixtures/ocr-reference.json', 'utf8')) as Reference;
const MAX_CER = 0.05;

const squeeze = (text: string) => normaliseText(text).replace(/\s/g, '');

/** Edits to turn each reference line into the closest line read here, over the reference's characters. */
function lineForLineCer(ours: readonly string[], theirs: readonly string[]): number {
  const candidates = ours.map(squeeze);
  let edits = 0;
  let chars = 0;
  for (const line of theirs.map(squeeze)) {
    edits += Math.min(line.length, ...candidates.map((c) => levenshtein(c, line)));
    chars += line.length;
  }
  return edits / Math.max(1, chars);
}

describe('OCR parity with rapidocr-onnxruntime on the same images', () => {
  let pool: InferencePool;
  let reader: TextReader;
  before(async () => {
    const { serving } = loadConfig({ IMGSENSE_OCR_INTRA_OP_THREADS: '1' });
    const [det, rec] = await Promise.all([
      loadBundle(slotOf(serving, 'text_detector').bundle),
      loadBundle(slotOf(serving, 'text_recognizer').bundle),
    ]);
    const batch = { maxBatchSize: 4, maxWaitMs: 2, queueMax: 256 };
    const slots = poolSlots(serving, { text_detector: det, text_recognizer: rec });
    pool = await InferencePool.start([det, rec], { workers: 1, intraOpThreads: 1, provider: 'cpu', batch, slots }, {});
    reader = new TextReader(det, rec, pool);
  });
  after(() => pool?.close());

  for (const image of reference.images) {
    it(`${image.file}: the same text as rapidocr (CER <= ${MAX_CER}), line for line`, async () => {
      const bytes = readFileSync(image.file);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), image.sha256, 'the image is not the one the reference was made from');
      const decoded = ImageSource.of(await decodeImage(bytes, { maxPixels: 100_000_000, workingShorterSide: 1280 }));
      const read = await reader.read(decoded, await reader.detect(decoded, 'test'), 'test');
      const theirs = image.lines.map((l) => l.text);
      const ours = read.lines.map((l) => l.text);
      const cer = lineForLineCer(ours, theirs);
      assert.ok(cer <= MAX_CER, `CER ${cer.toFixed(3)}\n  ours:     ${ours.join(' | ')}\n  rapidocr: ${theirs.join(' | ')}`);
      assert.ok(Math.abs(read.lines.length - image.lines.length) <= 1, `${read.lines.length} lines vs ${image.lines.length}`);
    });
  }
});
