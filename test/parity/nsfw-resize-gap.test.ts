// How far the service's resize (sharp, linear kernel, stretch) moves the NSFW scores away from nsfwjs as a browser runs
// it on the full image (tf.image.resizeBilinear with alignCorners inside nsfwjs.infer). Prints every score.
// Run: node --import tsx --test test/parity/nsfw-resize-gap.test.ts
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { load as loadNsfwjs } from 'nsfwjs';
import * as ort from 'onnxruntime-node';
import type { Manifest } from '../../src/bundle/manifest.js';
import { decodeImage } from '../../src/image/decode.js';
import { resizeForModel } from '../../src/image/resize.js';
import { photo } from '../support/photos.js';

const BUNDLE = path.resolve('models/nsfw-mobilenetv2');
const EVERYDAY = ['chelsea.png', 'coffee.png', 'rocket.jpg', 'motorcycle_left.png', 'astronaut.png'];
const SEXUAL_GAP = 0.05;

const sexual = (p: ArrayLike<number>) => p[1]! + p[3]!; // hentai + porn
const suggestive = (p: ArrayLike<number>) => sexual(p) + p[4]!; // + sexy

test('on everyday photos the service resize moves the sexual and suggestive scores by at most 0.05', async () => {
  const manifest = JSON.parse(readFileSync(path.join(BUNDLE, 'model.json'), 'utf8')) as Manifest;
  const session = await ort.InferenceSession.create(path.join(BUNDLE, manifest.model_file));
  await tf.setBackend('cpu');
  const original = await loadNsfwjs('MobileNetV2');
  const lines: string[] = [];
  let worstSexual = 0;
  let worstAny = 0;
  for (const file of EVERYDAY) {
    const raw = await decodeImage(photo(file), { maxPixels: 50_000_000 });
    const output = original.infer(tf.tensor3d(new Uint8Array(raw.data), [raw.height, raw.width, 3], 'int32'));
    const browser = Float32Array.from(output.dataSync() as Float32Array);
    output.dispose();
    const pixels = await resizeForModel(raw, manifest.input);
    const feeds = { [manifest.input.name]: new ort.Tensor('uint8', pixels, [1, 224, 224, 3]) };
    const service = (await session.run(feeds))[manifest.output.name]!.data as Float32Array;
    const gap = Math.max(Math.abs(sexual(service) - sexual(browser)), Math.abs(suggestive(service) - suggestive(browser)));
    worstSexual = Math.max(worstSexual, gap);
    worstAny = Math.max(worstAny, ...service.map((p, i) => Math.abs(p - browser[i]!)));
    const show = (p: Float32Array) => Array.from(p, (v, i) => `${manifest.classes[i]!.id}=${v.toFixed(3)}`).join(' ');
    lines.push(
      `${file.padEnd(20)} nsfwjs ${show(browser)}\n${''.padEnd(20)} service ${show(service)}  sexual/suggestive gap=${gap.toFixed(3)}`,
    );
  }
  console.log(lines.join('\n'));
  console.log(`resize gap: sexual/suggestive at most ${worstSexual.toFixed(3)}, any class at most ${worstAny.toFixed(3)}`);
  assert.ok(worstSexual <= SEXUAL_GAP, `sexual/suggestive scores moved by ${worstSexual}`);
  await session.release();
});
