// Lines that may be upside down: the cut turned a half turn, and when its reading replaces the upright one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawImage } from '../../src/image/decode.js';
import { cutTextLine, type TextLineSpec } from '../../src/image/text-line.js';
import { upsideDownHolds } from '../../src/models/upside-down-lines.js';

const SPEC: TextLineSpec = { height: 4, minWidth: 8, maxWidth: 64, step: 8, fill: 0, interpolation: 'nearest' };

/** An 8 x 4 RGB image, dark on its left half and light on its right, with one bright pixel in its top-left corner. */
function halves(): RawImage {
  const data = Buffer.alloc(8 * 4 * 3);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 8; x++) data.fill(x < 4 ? 20 : 200, (y * 8 + x) * 3, (y * 8 + x) * 3 + 3);
  data.fill(255, 0, 3);
  return { data, width: 8, height: 4, format: 'png' };
}

const at = (pixels: Uint8Array, x: number, y: number) => pixels[(y * 8 + x) * 3]!;

describe('upside-down text lines', () => {
  it('when a horizontal line is cut upside down, then its pixels are the upright cut turned a half turn', async () => {
    const box = { left: 0, top: 0, width: 1, height: 1 };
    const upright = await cutTextLine(halves(), box, SPEC);
    const turned = await cutTextLine(halves(), box, SPEC, 'anticlockwise', true);
    assert.equal(turned.vertical, false);
    assert.equal(turned.width, upright.width);
    assert.equal(at(upright.pixels, 0, 0), 255);
    assert.equal(at(turned.pixels, 7, 3), 255);
    assert.equal(at(turned.pixels, 1, 1), 200);
    assert.equal(at(turned.pixels, 6, 1), 20);
  });

  it('when the upside-down reading is surer, sure in itself and has three letters, then it replaces the upright one', () => {
    const line = (text: string, score: number) => ({ text, score });
    assert.equal(upsideDownHolds(line('working tree clean', 0.97), line('uealɔ ǝǝɹʇ', 0.55)), true);
    assert.equal(upsideDownHolds(line('working tree clean', 0.85), line('uealɔ ǝǝɹʇ', 0.55)), false, 'not sure enough');
    assert.equal(upsideDownHolds(line('working', 0.95), line('working', 0.96)), false, 'the upright one is surer');
    assert.equal(upsideDownHolds(line('0001', 0.99), line('1000', 0.8)), false, 'digits turned are digits still');
    assert.equal(upsideDownHolds(line('d M', 0.95), line('W p', 0.6)), false, 'single letters are what icons give');
  });
});
