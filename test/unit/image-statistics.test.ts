import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawImage } from '../../src/image/decode.js';
import { imageStatistics } from '../../src/image/image-statistics.js';

/** A width x height RGB image whose pixel at (x, y) is `colour(x, y)`. */
function image(width: number, height: number, colour: (x: number, y: number) => [number, number, number]): RawImage {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 3);
  return { data, width, height, format: 'png' };
}

describe('imageStatistics', () => {
  it("when images follow one another, then each one's background is its own (the colour table is emptied between calls)", () => {
    const white = image(300, 200, () => [255, 255, 255]);
    // Mostly dark blue with a white band on top: with white counts left over, white would outnumber the blue.
    const blue = image(120, 80, (_x, y) => (y < 30 ? [255, 255, 255] : [20, 30, 120]));
    const alone = imageStatistics(blue);
    imageStatistics(white);
    const after = imageStatistics(blue);
    assert.deepEqual(after, alone);
    assert.ok(after.backgroundLuma < 60, `background luma ${after.backgroundLuma}`);
    assert.ok(imageStatistics(white).backgroundLuma > 250);
  });
});
