/** The face detector's post-processing on hand-made outputs: prior grid order, box decoding, NMS, letterbox mapping. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFaces, detectFaces, priorBoxes, suppressFaces, type Face, type FacePriors } from '../../src/models/face-detector.js';

const near = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} vs ${expected}`);

function assertBox(actual: Face['box'], expected: Face['box']): void {
  for (const key of ['x', 'y', 'width', 'height'] as const) near(actual[key], expected[key], key);
}

/** A 16 x 16 input: stride 8 gives a 2 x 2 grid with two sizes per cell, stride 16 one cell with one size: 9 priors. */
const SPEC: FacePriors = {
  name: 'faces',
  dtype: 'float32',
  kind: 'face_priors',
  strides: [8, 16],
  prior_sizes: [[4, 8], [16]],
  variances: [0.1, 0.2],
};

/** A raw output of `priors` rows (dx, dy, dw, dh, score), all zero but the rows given. */
function rawOutput(priors: number, rows: Record<number, number[]>): Float32Array {
  const raw = new Float32Array(priors * 5);
  for (const [at, values] of Object.entries(rows)) raw.set(values, Number(at) * 5);
  return raw;
}

test('priors run stride by stride, then row, column and size, centred on their cells, normalised by the input', () => {
  const priors = priorBoxes(16, 16, SPEC);
  assert.equal(priors.length, 9 * 4);
  const rows = Array.from({ length: 9 }, (_, i) => Array.from(priors.subarray(i * 4, i * 4 + 4)));
  assert.deepEqual(rows.slice(0, 3), [
    [0.25, 0.25, 0.25, 0.25],
    [0.25, 0.25, 0.5, 0.5],
    [0.75, 0.25, 0.25, 0.25],
  ]);
  assert.deepEqual(rows[4], [0.25, 0.75, 0.25, 0.25]);
  assert.deepEqual(rows[8], [0.5, 0.5, 1, 1]);
});

test('a grid that does not divide the input is rounded up, as the network pads its feature maps', () => {
  assert.equal(priorBoxes(20, 8, { strides: [8], prior_sizes: [[8]] }).length / 4, 3);
});

test('zero offsets give the prior itself; offsets scale by the variances and the prior size', () => {
  const priors = Float32Array.from([0.5, 0.5, 0.2, 0.4]);
  const [plain] = decodeFaces(Float32Array.from([0, 0, 0, 0, 0.9]), priors, [0.1, 0.2], 0.3);
  assertBox(plain!.box, { x: 0.4, y: 0.3, width: 0.2, height: 0.4 });
  const [moved] = decodeFaces(Float32Array.from([1, -2, Math.log(2) / 0.2, 0, 0.9]), priors, [0.1, 0.2], 0.3);
  // centre (0.5 + 1 * 0.1 * 0.2, 0.5 - 2 * 0.1 * 0.4) = (0.52, 0.42); width 0.2 * 2, height 0.4.
  assertBox(moved!.box, { x: 0.32, y: 0.22, width: 0.4, height: 0.4 });
  near(moved!.score, 0.9, 'score');
});

test('only scores above the threshold become faces', () => {
  const priors = Float32Array.from([0.5, 0.5, 0.2, 0.2, 0.5, 0.5, 0.2, 0.2, 0.5, 0.5, 0.2, 0.2]);
  const raw = Float32Array.from([0, 0, 0, 0, 0.29, 0, 0, 0, 0, 0.31, 0, 0, 0, 0, 0.1]);
  assert.deepEqual(
    decodeFaces(raw, priors, [0.1, 0.2], 0.3).map((f) => Math.round(f.score * 100)),
    [31],
  );
});

test('NMS keeps the better of two faces that overlap by more than the IoU threshold, and both below it', () => {
  const face = (x: number, score: number): Face => ({ score, box: { x, y: 0, width: 0.2, height: 0.2 } });
  // Shifted by 0.05 of 0.2: IoU 0.15 / 0.25 = 0.6; shifted by 0.1: 0.1 / 0.3 = 0.33.
  assert.deepEqual(
    suppressFaces([face(0.05, 0.7), face(0, 0.9)], 0.4, 10).map((f) => f.score),
    [0.9],
  );
  assert.deepEqual(
    suppressFaces([face(0.1, 0.7), face(0, 0.9)], 0.4, 10).map((f) => f.score),
    [0.9, 0.7],
  );
  assert.deepEqual(
    suppressFaces([face(0.5, 0.7), face(0, 0.9)], 0.4, 1).map((f) => f.score),
    [0.9],
  );
});

test('boxes of a letterboxed image are mapped to the image and clipped to it', () => {
  // The image fills the top half of the 16 x 16 input (16 x 8 used); the stride-16 prior covers the whole input.
  const raw = rawOutput(9, { 8: [0, 0, 0, 0, 0.95], 0: [0, 0, 0, 0, 0.5] });
  const faces = detectFaces(raw, { width: 16, height: 16 }, { width: 16, height: 8 }, SPEC, {
    scoreThreshold: 0.3,
    iouThreshold: 0.4,
    maxDetections: 10,
  });
  assert.deepEqual(
    faces.map((f) => f.score),
    [0.949999988079071, 0.5],
  );
  assertBox(faces[0]!.box, { x: 0, y: 0, width: 1, height: 1 });
  // Prior 0 spans x 0.125-0.375, y 0.125-0.375 of the input: y doubles in the image's coordinates.
  assertBox(faces[1]!.box, { x: 0.125, y: 0.25, width: 0.25, height: 0.5 });
});

test('an output whose size does not match the prior grid is refused, not read', () => {
  assert.throws(
    () =>
      detectFaces(new Float32Array(40), { width: 16, height: 16 }, { width: 16, height: 16 }, SPEC, {
        scoreThreshold: 0.3,
        iouThreshold: 0.4,
        maxDetections: 10,
      }),
    /9 priors/,
  );
});
