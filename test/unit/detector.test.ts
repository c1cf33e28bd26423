import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_POSTPROCESS, detect, iou } from '../../src/models/detector.js';

const CLASSES = [
  { id: 'n00007846', name: 'person' },
  { id: 'n02084071', name: 'dog' },
];

/** One anchor row: x1, y1, x2, y2, then a score per class. */
const row = (box: number[], scores: number[]) => [...box, ...scores];

describe('detect (threshold + NMS over the raw rows)', () => {
  it('when two boxes of one class overlap, then only the better one is kept', () => {
    const raw = new Float32Array([
      ...row([0.1, 0.1, 0.5, 0.9], [0.9, 0.0]),
      ...row([0.12, 0.1, 0.52, 0.9], [0.8, 0.0]),
      ...row([0.6, 0.5, 0.9, 0.9], [0.1, 0.7]),
      ...row([0.6, 0.1, 0.7, 0.2], [0.2, 0.1]),
    ]);
    const found = detect(raw, CLASSES, DEFAULT_POSTPROCESS);
    assert.deepEqual(
      found.map((d) => [d.name, d.score.toFixed(1)]),
      [
        ['person', '0.9'],
        ['dog', '0.7'],
      ],
    );
    assert.ok(Math.abs(found[0]!.box.width - 0.4) < 1e-6);
  });

  it('when NMS is class-agnostic, then an overlapping box of another class is dropped too', () => {
    const raw = new Float32Array([...row([0.1, 0.1, 0.5, 0.9], [0.9, 0.0]), ...row([0.1, 0.1, 0.5, 0.9], [0.0, 0.8])]);
    assert.equal(detect(raw, CLASSES, DEFAULT_POSTPROCESS).length, 2);
    assert.equal(detect(raw, CLASSES, { ...DEFAULT_POSTPROCESS, nms: 'class_agnostic' }).length, 1);
  });

  it('when a class is suppressed or a box is empty or outside, then nothing is reported for it', () => {
    const raw = new Float32Array([
      ...row([0.1, 0.1, 0.5, 0.9], [0.0, 0.9]),
      ...row([0.5, 0.5, 0.5, 0.9], [0.9, 0.0]),
      ...row([1.2, 1.2, 1.5, 1.5], [0.9, 0.0]),
    ]);
    assert.deepEqual(detect(raw, CLASSES, { ...DEFAULT_POSTPROCESS, suppressed: new Set(['n02084071']) }), []);
  });

  it('computes IoU of overlapping and disjoint boxes', () => {
    assert.equal(iou({ x: 0, y: 0, width: 1, height: 1 }, { x: 0.5, y: 0, width: 1, height: 1 }), 1 / 3);
    assert.equal(iou({ x: 0, y: 0, width: 0.1, height: 0.1 }, { x: 0.5, y: 0.5, width: 0.1, height: 0.1 }), 0);
  });
});
