// Parity: models/nsfw-mobilenetv2/model.onnx (onnxruntime-node) against the original nsfwjs MobileNetV2 running in
// @tensorflow/tfjs (pure JS CPU backend), on the same 224x224 uint8 pixels of real photos.
// Run: node --import tsx --test test/nsfw-parity.test.ts
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { load as loadNsfwjs } from "nsfwjs";
import * as ort from "onnxruntime-node";
import sharp from "sharp";

const BUNDLE = path.resolve("models/nsfw-mobilenetv2");
const PHOTOS = "/usr/lib/python3/dist-packages/skimage/data";
const SIZE = 224;
const TOLERANCE = 1e-3;

type Variant = "whole" | "flop" | "centre";
const SCENES: Array<[string, Variant]> = [
  ...[
    "astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_left.png", "motorcycle_right.png",
    "camera.png", "coins.png", "moon.png", "hubble_deep_field.jpg", "retina.jpg", "ihc.png", "brick.png",
    "grass.png", "gravel.png", "cell.png", "microaneurysms.png", "page.png",
  ].map((name): [string, Variant] => [name, "whole"]),
  ["astronaut.png", "flop"], ["chelsea.png", "flop"], ["coffee.png", "flop"], ["rocket.jpg", "flop"],
  ["astronaut.png", "centre"], ["chelsea.png", "centre"], ["motorcycle_left.png", "centre"],
];

/** The photo (or its mirror or centre half) stretched to 224x224 RGB, as the server's resize stage would. */
async function photoPixels(name: string, variant: Variant): Promise<Uint8Array> {
  let image = sharp(path.join(PHOTOS, name)).removeAlpha().toColourspace("srgb");
  if (variant === "flop") image = image.flop();
  if (variant === "centre") {
    const { width = 0, height = 0 } = await sharp(path.join(PHOTOS, name)).metadata();
    image = sharp(await image.extract({
      left: Math.floor(width / 4), top: Math.floor(height / 4),
      width: Math.floor(width / 2), height: Math.floor(height / 2),
    }).toBuffer());
  }
  const { data, info } = await image.resize(SIZE, SIZE, { fit: "fill" }).removeAlpha().toColourspace("srgb")
    .raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, 3, `${name}: expected RGB`);
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

test("the ONNX bundle matches nsfwjs in tfjs within 1e-3 on 25 real photos", async () => {
  const images = await Promise.all(SCENES.map(([name, variant]) => photoPixels(name, variant)));
  assert.ok(images.length >= 20);

  await tf.setBackend("cpu");
  const original = await loadNsfwjs("MobileNetV2");
  // nsfwjs.infer on a 224x224 tensor: toFloat().div(255), no resize, reshape to [1,224,224,3], predict.
  const expected = images.map((pixels) => {
    const output = original.infer(tf.tensor3d(pixels, [SIZE, SIZE, 3], "int32"));
    const values = output.dataSync() as Float32Array;
    output.dispose();
    return Float32Array.from(values);
  });

  const manifest = JSON.parse(readFileSync(path.join(BUNDLE, "model.json"), "utf8"));
  const session = await ort.InferenceSession.create(path.join(BUNDLE, manifest.model_file));
  const batch = new Uint8Array(images.length * SIZE * SIZE * 3);
  images.forEach((pixels, i) => batch.set(pixels, i * pixels.length));
  const feeds = { [manifest.input.name]: new ort.Tensor("uint8", batch, [images.length, SIZE, SIZE, 3]) };
  const actual = (await session.run(feeds))[manifest.output.name];
  assert.deepEqual(actual.dims, [images.length, manifest.classes.length]);

  let maxDiff = 0;
  const rows = SCENES.map(([name, variant], i) => {
    const row = (actual.data as Float32Array).subarray(i * 5, i * 5 + 5);
    const diff = Math.max(...row.map((p, c) => Math.abs(p - expected[i][c])));
    maxDiff = Math.max(maxDiff, diff);
    const top = manifest.classes[row.indexOf(Math.max(...row))].id;
    return `${`${name}/${variant}`.padEnd(28)} top=${top.padEnd(8)} max|diff|=${diff.toExponential(2)}`;
  });
  console.log(rows.join("\n"));
  console.log(`nsfw parity: ${images.length} images, max |onnx - tfjs| = ${maxDiff.toExponential(3)}`);
  assert.ok(maxDiff <= TOLERANCE, `max |diff| ${maxDiff} exceeds ${TOLERANCE}`);
  await session.release();
});
