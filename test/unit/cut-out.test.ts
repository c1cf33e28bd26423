import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { looksRendered } from '../../src/caption/image-kind.js';
import { kindStatistics } from '../../src/caption/kind-evidence.js';
import { decodeImage } from '../../src/image/decode.js';
import { imageStatistics } from '../../src/image/image-statistics.js';

const SIDE = 400;
const options = { maxPixels: 50_000_000, workingShorterSide: 512 };

/** A PNG of a disc of radius `radius` on a transparent ground; `fill` gives each pixel's RGB inside the disc. */
async function discPng(radius: number, fill: (x: number, y: number) => [number, number, number], opaqueGround = false): Promise<Buffer> {
  const rgba = Buffer.alloc(SIDE * SIDE * 4);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const at = (y * SIDE + x) * 4;
      const inside = (x - SIDE / 2) ** 2 + (y - SIDE / 2) ** 2 <= radius ** 2;
      const [r, g, b] = inside ? fill(x, y) : [255, 255, 255];
      rgba.set([r, g, b, inside || opaqueGround ? 255 : 0], at);
    }
  }
  return sharp(rgba, { raw: { width: SIDE, height: SIDE, channels: 4 } })
    .png()
    .toBuffer();
}

/** A camera-like subject: a gentle gradient with sensor noise of a few levels (a fixed seed, so every run is the same). */
function photographed(): (x: number, y: number) => [number, number, number] {
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed / 2 ** 31) * 16 - 8;
  };
  return (x, y) =>
    [90 + x / 8 + noise(), 120 + y / 10 + noise(), 60 + noise()].map((v) => Math.round(Math.min(255, Math.max(0, v)))) as [
      number,
      number,
      number,
    ];
}

describe('cut-outs on a transparent ground', () => {
  it('when a photographed subject sits on transparency, then flattened whole it looks rendered, and its kind statistics do not', async () => {
    const image = await decodeImage(await discPng(100, photographed()), options);
    assert.ok(image.alpha, 'the decode keeps the alpha of an upload with transparent pixels');
    assert.equal(looksRendered(imageStatistics(image)), true, 'the flattened surround alone makes it look rendered (the cause)');
    const kind = kindStatistics(image);
    assert.equal(looksRendered(kind), false);
    assert.ok(kind.white < 0.05, `white share ${kind.white}: the surround is not counted as paper`);
  });

  it('when flat clip art sits on transparency, then it still looks rendered', async () => {
    const image = await decodeImage(await discPng(100, () => [200, 30, 30]), options);
    assert.ok(image.alpha);
    assert.equal(looksRendered(kindStatistics(image)), true);
  });

  it('when an RGBA upload has nothing transparent, then no alpha is kept and the statistics are the whole image', async () => {
    const image = await decodeImage(await discPng(100, photographed(), true), options);
    assert.equal(image.alpha, undefined);
    assert.deepEqual(kindStatistics(image), imageStatistics(image));
  });

  it('when the upload has transparent pixels, then the models see the same flattened pixels as sharp gives', async () => {
    const png = await discPng(100, photographed());
    const image = await decodeImage(png, { ...options, workingShorterSide: 256 });
    const expected = await sharp(png)
      .resize({ width: 256, height: 256, fit: 'outside' })
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw()
      .toBuffer();
    assert.equal(Buffer.compare(image.data, expected), 0);
    assert.equal(image.alpha!.length, image.width * image.height);
  });
});
