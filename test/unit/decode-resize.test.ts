import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { decodeImage, ImageRejectedError, type ImageRejection, type RawImage } from '../../src/image/decode.js';
import { centerCropRegion, resizeForModel } from '../../src/image/resize.js';
import type { InputSpec } from '../../src/bundle/manifest.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const options = { maxPixels: 50_000_000 };

function meanRgb(image: RawImage): number[] {
  const sums = [0, 0, 0];
  for (let i = 0; i < image.data.length; i++) sums[i % 3]! += image.data[i]!;
  return sums.map((s) => s / (image.width * image.height));
}

describe('decodeImage', () => {
  const decodable: [string, string, number, number][] = [
    ['cat.jpg', 'jpeg', 451, 300],
    ['cat-exif-rotated.jpg', 'jpeg', 451, 300],
    ['cat-cmyk.jpg', 'jpeg', 451, 300],
    ['coffee-alpha.png', 'png', 320, 213],
    ['coffee.webp', 'webp', 320, 213],
    ['coffee.heif', 'heif', 320, 213],
    ['rocket.avif', 'avif', 320, 214],
    ['motorcycle.tiff', 'tiff', 320, 216],
    ['camera-gray.png', 'png', 256, 256],
    ['cat-then-red.gif', 'gif', 240, 160],
  ];
  for (const [name, format, width, height] of decodable) {
    it(`when the upload is ${name}, then it decodes to ${width}x${height} 3-channel ${format}`, async () => {
      const image = await decodeImage(fixture(name), options);
      assert.deepEqual([image.format, image.width, image.height], [format, width, height]);
      assert.equal(image.data.length, width * height * 3);
    });
  }

  it('when the JPEG carries EXIF orientation, then the pixels come out upright like the plain photo', async () => {
    const [plain, rotated] = await Promise.all([
      decodeImage(fixture('cat.jpg'), options),
      decodeImage(fixture('cat-exif-rotated.jpg'), options),
    ]);
    const plainMean = meanRgb(plain);
    const diff = Math.abs(plain.data[0]! - rotated.data[0]!) + Math.abs(plain.data.at(-1)! - rotated.data.at(-1)!);
    assert.ok(diff < 20, `corner pixels differ by ${diff}`);
    meanRgb(rotated).forEach((m, i) => assert.ok(Math.abs(m - plainMean[i]!) < 3));
  });

  it('when the PNG has alpha, then it is flattened onto white', async () => {
    const [opaque, alpha] = await Promise.all([
      decodeImage(fixture('coffee.webp'), options),
      decodeImage(fixture('coffee-alpha.png'), options),
    ]);
    const expected = meanRgb(opaque).map((m) => 0.6 * m + 0.4 * 255); // fixture alpha is 0.6
    meanRgb(alpha).forEach((m, i) => assert.ok(Math.abs(m - expected[i]!) < 5, `channel ${i}: ${m} vs ${expected[i]}`));
  });

  it('when the GIF is animated, then only the first frame (the cat, not the red frame) is used', async () => {
    const [r, g] = meanRgb(await decodeImage(fixture('cat-then-red.gif'), options));
    assert.ok(r! < g! + 60, `mean r=${r} g=${g} looks like the red frame`);
  });

  it('when the JPEG is CMYK, then it is converted to sRGB close to the original', async () => {
    const [rgb, cmyk] = await Promise.all([decodeImage(fixture('cat.jpg'), options), decodeImage(fixture('cat-cmyk.jpg'), options)]);
    meanRgb(cmyk).forEach((m, i) => assert.ok(Math.abs(m - meanRgb(rgb)[i]!) < 15, `channel ${i}`));
  });

  const refused: [string, ImageRejection][] = [
    ['cat-truncated.jpg', 'corrupt'],
    ['pixel-bomb.png', 'too_many_pixels'],
    ['external-url.svg', 'unsupported_format'],
    ['document.pdf', 'unsupported_format'],
    ['note.txt', 'unsupported_format'],
    ['random.bin', 'unsupported_format'],
  ];
  for (const [name, reason] of refused) {
    it(`when the upload is ${name}, then it is refused as ${reason}`, async () => {
      await assert.rejects(decodeImage(fixture(name), options), (error) => error instanceof ImageRejectedError && error.reason === reason);
    });
  }

  it('when the pixel count is just over the limit, then the header check refuses it', async () => {
    await assert.rejects(
      decodeImage(fixture('cat.jpg'), { maxPixels: 451 * 300 - 1 }),
      (e) => e instanceof ImageRejectedError && e.reason === 'too_many_pixels',
    );
  });

  it('when a working size is given, then the shorter side is reduced to it', async () => {
    const image = await decodeImage(fixture('cat.jpg'), { ...options, workingShorterSide: 150 });
    assert.deepEqual([image.width, image.height], [226, 150]);
  });
});

describe('resizeForModel', () => {
  const crop: InputSpec = {
    height: 224,
    width: 224,
    resize: { method: 'shorter_side_center_crop', shorter_side: 256 },
    interpolation: 'bilinear',
  };

  it('when the rule is shorter-side + centre crop, then the source region is the centred 224/256 of the shorter side', () => {
    assert.deepEqual(centerCropRegion(451, 300, 256, crop), { left: 94, top: 18, width: 263, height: 263 });
  });

  it("when the decode already has the crop's scale, then the input is the centred 224 x 224 copied out, pixel for pixel", async () => {
    const image = await decodeImage(fixture('cat.jpg'), { ...options, workingShorterSide: 256 });
    assert.deepEqual([image.width, image.height], [385, 256]);
    const region = centerCropRegion(image.width, image.height, 256, crop);
    const expected = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
      .extract(region)
      .raw()
      .toBuffer();
    assert.deepEqual(Buffer.from(await resizeForModel(image, crop)), expected);
  });

  it('when resizing, then the output is exactly height x width x 3', async () => {
    const image = await decodeImage(fixture('cat.jpg'), options);
    assert.equal((await resizeForModel(image, crop)).length, 224 * 224 * 3);
    const stretch: InputSpec = { height: 100, width: 60, resize: { method: 'stretch' }, interpolation: 'bicubic' };
    assert.equal((await resizeForModel(image, stretch)).length, 100 * 60 * 3);
  });

  it('when the crop is taken, then it matches resizing first and cropping after', async () => {
    const image = await decodeImage(fixture('cat.jpg'), options);
    const ours = await resizeForModel(image, crop);
    const reference = await sharp(image.data, { raw: { width: 451, height: 300, channels: 3 } })
      .resize({ height: 256, kernel: 'linear' })
      .extract({ left: Math.floor((385 - 224) / 2), top: 16, width: 224, height: 224 })
      .raw()
      .toBuffer();
    let total = 0;
    for (let i = 0; i < ours.length; i++) total += Math.abs(ours[i]! - reference[i]!);
    assert.ok(total / ours.length < 6, `mean abs diff ${total / ours.length}`);
  });
});
