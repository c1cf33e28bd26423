// Parity: models/nsfw-mobilenetv2/model.onnx (onnxruntime-node) against the original nsfwjs MobileNetV2 running in
// @tensorflow/tfjs (pure JS CPU backend), on the same 224x224 uint8 pixels of real photos, made by the service's
// decode and resize stages (sharp, kernel from the manifest's interpolation).
// Run: node --import tsx --test test/parity/nsfw-parity.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { load as loadNsfwjs } from 'nsfwjs';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { InputSpec, Manifest } from '../../src/bundle/manifest.js';
import { decodeImage } from '../../src/image/decode.js';
import { resizeForModel } from '../../src/image/resize.js';
import { photoPath } from '../support/photos.js';

const BUNDLE = path.resolve('models/nsfw-mobilenetv2');
const SIZE = 224;
const TOLERANCE = 1e-3;

type Variant = 'whole' | 'flop' | 'centre';
const SCENES: Array<[string, Variant]> = [
  ...[
    'astronaut.png',
    'chelsea.png',
    'coffee.png',
    'rocket.jpg',
    'motorcycle_left.png',
    'motorcycle_right.png',
    'camera.png',
    'coins.png',
    'moon.png',
    'hubble_deep_field.jpg',
    'retina.jpg',
    'ihc.png',
    'brick.png',
    'grass.png',
    'gravel.png',
    'cell.png',
    'microaneurysms.png',
    'page.png',
  ].map((name): [string, Variant] => [name, 'whole']),
  ['astronaut.png', 'flop'],
  ['chelsea.png', 'flop'],
  ['coffee.png', 'flop'],
  ['rocket.jpg', 'flop'],
  ['astronaut.png', 'centre'],
  ['chelsea.png', 'centre'],
  ['motorcycle_left.png', 'centre'],
];

/** The photo (or its mirror or centre half) through the service's own decode and resize stages for this bundle. */
async function photoPixels(name: string, variant: Variant, input: InputSpec): Promise<Uint8Array> {
  let image = sharp(photoPath(name));
  if (variant === 'flop') image = image.flop();
  if (variant === 'centre') {
    const { width = 0, height = 0 } = await image.metadata();
    image = image.extract({
      left: Math.floor(width / 4),
      top: Math.floor(height / 4),
      width: Math.floor(width / 2),
      height: Math.floor(height / 2),
    });
  }
  const raw = await decodeImage(await image.png().toBuffer(), { maxPixels: 50_000_000 });
  const pixels = await resizeForModel(raw, input);
  assert.equal(pixels.length, SIZE * SIZE * 3, `${name}: expected 224x224 RGB`);
  return pixels;
}

test('the ONNX bundle matches nsfwjs in tfjs within 1e-3 on 25 real photos', async () => {
  const manifest = JSON.parse(readFileSync(path.join(BUNDLE, 'model.json'), 'utf8')) as Manifest;
  const images = await Promise.all(SCENES.map(([name, variant]) => photoPixels(name, variant, manifest.input)));
  assert.ok(images.length >= 20);

  await tf.setBackend('cpu');
  const original = await loadNsfwjs('MobileNetV2');
  // nsfwjs.infer on a 224x224 tensor: toFloat().div(255), no resize, reshape to [1,224,224,3], predict.
  const expected = images.map((pixels) => {
    const output = original.infer(tf.tensor3d(pixels, [SIZE, SIZE, 3], 'int32'));
    const values = output.dataSync() as Float32Array;
    output.dispose();
    return Float32Array.from(values);
  });

  const session = await ort.InferenceSession.create(path.join(BUNDLE, manifest.model_file));
  const batch = new Uint8Array(images.length * SIZE * SIZE * 3);
  images.forEach((pixels, i) => batch.set(pixels, i * pixels.length));
  const feeds = { [manifest.input.name]: new ort.Tensor('uint8', batch, [images.length, SIZE, SIZE, 3]) };
  const actual = (await session.run(feeds))[manifest.output.name];
  assert.ok(actual, `the model has no output ${manifest.output.name}`);
  assert.deepEqual(actual.dims, [images.length, manifest.classes.length]);
  const probabilities = actual.data as Float32Array;

  let maxDiff = 0;
  const rows = SCENES.map(([name, variant], i) => {
    const row = probabilities.subarray(i * 5, i * 5 + 5);
    const diff = Math.max(...row.map((p, c) => Math.abs(p - expected[i]![c]!)));
    maxDiff = Math.max(maxDiff, diff);
    const scores = Array.from(row, (p, c) => `${manifest.classes[c]!.id}=${p.toFixed(4)}`).join(' ');
    return `${`${name}/${variant}`.padEnd(28)} ${scores}  max|diff|=${diff.toExponential(2)}`;
  });
  console.log(rows.join('\n'));
  console.log(`nsfw parity: ${images.length} images, max |onnx - tfjs| = ${maxDiff.toExponential(3)}`);
  assert.ok(maxDiff <= TOLERANCE, `max |diff| ${maxDiff} exceeds ${TOLERANCE}`);
  await session.release();
});
