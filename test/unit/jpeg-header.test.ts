import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { SKIMAGE_DATA } from '../../bench/kit/photo-set.js';
import { checkUpload } from '../../src/image/decode.js';
import { isIgnoredProfile } from '../../src/image/icc.js';
import { readJpegHeader } from '../../src/image/jpeg-header.js';

const rocket = readFileSync(join(SKIMAGE_DATA, 'rocket.jpg')); // Adobe RGB profile
const coffee = readFileSync(join(SKIMAGE_DATA, 'coffee.png'));

/** The facts the checks read, from sharp's metadata() and from the JavaScript reader. */
async function bothReadings(bytes: Buffer) {
  const meta = await sharp(bytes).metadata();
  const header = readJpegHeader(bytes);
  assert.ok(header, 'the reader took this JPEG');
  return {
    sharp: [meta.width, meta.height, meta.channels, meta.depth, meta.icc ? isIgnoredProfile(meta.icc) : 'none'],
    reader: [header.width, header.height, header.channels, header.depth, header.icc ? isIgnoredProfile(header.icc) : 'none'],
  };
}

describe('readJpegHeader', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    ['a photo with an Adobe RGB profile', async () => rocket],
    ['a progressive grey JPEG', () => sharp(coffee).greyscale().jpeg({ progressive: true }).toBuffer()],
    ['a CMYK JPEG', () => sharp(coffee).toColourspace('cmyk').jpeg().toBuffer()],
    ['a JPEG with an sRGB profile and EXIF', () => sharp(coffee).jpeg().withMetadata({ orientation: 6 }).toBuffer()],
  ];
  for (const [name, make] of cases) {
    it(`when the upload is ${name}, then it reads what sharp reads`, async () => {
      const { sharp: expected, reader } = await bothReadings(await make());
      assert.deepEqual(reader, expected);
    });
  }

  it('when the profile spans several chunks, then it leaves the JPEG to sharp, and checkUpload still converts it', async () => {
    const cmyk = await sharp(coffee).toColourspace('cmyk').jpeg().keepIccProfile().toBuffer(); // a 940 kB profile in 15 chunks
    assert.equal(readJpegHeader(cmyk), undefined);
    assert.equal((await checkUpload(cmyk, { maxPixels: 50_000_000 })).srgbProfile, false);
  });

  it('when the header is cut before its frame or the precision is 12 bits, then it leaves the JPEG to sharp', () => {
    const frame = rocket.indexOf(Buffer.from([0xff, 0xc0]));
    assert.equal(readJpegHeader(rocket.subarray(0, frame + 5)), undefined);
    const twelveBits = Buffer.from(rocket);
    twelveBits[frame + 4] = 12;
    assert.equal(readJpegHeader(twelveBits), undefined);
  });

  it('when a JPEG declares more pixels than the limit in its frame, then checkUpload refuses it as before', async () => {
    await assert.rejects(checkUpload(rocket, { maxPixels: 1000 }), { name: 'ImageRejectedError', reason: 'too_many_pixels' });
  });
});
