/** Turning decoded pixels and sources (photos stored sideways, src/caption/sideways.ts), and boxes found on a turned photo given back. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { QuarterTurn, RawImage } from '../../src/image/decode.js';
import { ImageSource } from '../../src/image/image-source.js';
import { boxBeforeTurn, turnRaw } from '../../src/image/turn.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const TURNS: QuarterTurn[] = [90, 180, 270];

/** A white 40 x 20 image with a black rectangle at (x, y, width, height) in pixels, alpha 0 outside it. */
function marked(x: number, y: number, width: number, height: number): RawImage {
  const data = Buffer.alloc(40 * 20 * 3, 255);
  const alpha = Buffer.alloc(40 * 20, 0);
  for (let row = y; row < y + height; row += 1)
    for (let col = x; col < x + width; col += 1) {
      data.fill(0, (row * 40 + col) * 3, (row * 40 + col) * 3 + 3);
      alpha[row * 40 + col] = 255;
    }
  return { data, width: 40, height: 20, format: 'png', alpha };
}

/** The [0, 1] box around the dark pixels, and the one around the opaque ones. */
function boxesOf(image: RawImage) {
  const around = (hit: (i: number) => boolean) => {
    let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
    for (let i = 0; i < image.width * image.height; i += 1) {
      if (!hit(i)) continue;
      const [x, y] = [i % image.width, Math.floor(i / image.width)];
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
    return { x: x0 / image.width, y: y0 / image.height, width: (x1 + 1 - x0) / image.width, height: (y1 + 1 - y0) / image.height };
  };
  return { dark: around((i) => image.data[i * 3]! < 128), opaque: around((i) => image.alpha![i]! > 128) };
}

describe('turning a photo stored sideways', () => {
  it('when pixels are turned, then the sides swap for a quarter turn, the alpha turns with them, and a box found on them maps back', async () => {
    const stored = marked(3, 2, 10, 5);
    const before = boxesOf(stored).dark;
    for (const turn of TURNS) {
      const turned = await turnRaw(stored, turn);
      assert.deepEqual([turned.width, turned.height], turn === 180 ? [40, 20] : [20, 40], `turn ${turn}`);
      const { dark, opaque } = boxesOf(turned);
      assert.deepEqual(opaque, dark, `turn ${turn}: alpha and colour turned alike`);
      assert.notDeepEqual(dark, before, `turn ${turn}: the mark moved`);
      const back = boxBeforeTurn(dark, turn);
      for (const key of ['x', 'y', 'width', 'height'] as const) assert.ok(Math.abs(back[key] - before[key]) < 1e-9, `turn ${turn} ${key}`);
    }
  });

  it('when an upload is turned, then its working decode and every later size come turned, and the source says by how much', async () => {
    const source = await ImageSource.open(fixture('cat.jpg'), { maxPixels: 50_000_000 }, 150);
    const turned = await source.turned(90);
    assert.equal(source.turn, undefined);
    assert.equal(turned.turn, 90);
    assert.deepEqual([turned.working.width, turned.working.height], [source.working.height, source.working.width]);
    const [upright, sideways] = [await source.at(300), await turned.at(300)];
    assert.deepEqual([sideways.width, sideways.height], [upright.height, upright.width]);
    // A turn is counted from the upload as stored, whatever source it is asked of.
    const [again, direct] = [await turned.turned(270), await source.turned(270)];
    assert.equal(again.turn, 270);
    assert.ok(again.working.data.equals(direct.working.data), 'turned 270 from the turned source as from the stored one');
  });
});
