/** Which embedded colour profiles the decoder ignores: every RGB and grey one (converting them changed no answer); others convert. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { decodeImage } from '../../src/image/decode.js';
import { isIgnoredProfile } from '../../src/image/icc.js';
import { photo } from '../support/photos.js';

/** chelsea.png carries HP's sRGB IEC61966-2.1 profile; rocket.jpg carries Adobe RGB (1998). */
const profileOf = async (file: string) => (await sharp(photo(file)).metadata()).icc!;

/** A profile header claiming another data colour space (bytes 16-19). */
function withSpace(icc: Buffer, space: string): Buffer {
  const copy = Buffer.from(icc);
  copy.write(space, 16, 'latin1');
  return copy;
}

const maxDifference = (a: Buffer, b: Buffer) => a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i]!)), 0);

describe('isIgnoredProfile', () => {
  it('when the profile is sRGB, Adobe RGB or grey, then it is ignored; CMYK and Lab are not', async () => {
    for (const file of ['chelsea.png', 'rocket.jpg']) assert.equal(isIgnoredProfile(await profileOf(file)), true, file);
    const srgb = await profileOf('chelsea.png');
    assert.equal(isIgnoredProfile(withSpace(srgb, 'GRAY')), true);
    assert.equal(isIgnoredProfile(withSpace(srgb, 'CMYK')), false);
    assert.equal(isIgnoredProfile(withSpace(srgb, 'Lab ')), false);
  });
  it('when the bytes are shorter than a profile header, then false', () => {
    assert.equal(isIgnoredProfile(Buffer.alloc(10)), false);
  });
  it('when a tagged photo is decoded, then its pixels are read as sRGB: sRGB within 1 of a conversion, Adobe RGB unconverted', async () => {
    const chelsea = photo('chelsea.png');
    const ours = await decodeImage(chelsea, { maxPixels: 1e8 });
    assert.ok(maxDifference(ours.data, await sharp(chelsea).toColourspace('srgb').removeAlpha().raw().toBuffer()) <= 1);
    const rocket = photo('rocket.jpg');
    const decoded = await decodeImage(rocket, { maxPixels: 1e8 });
    const [kept, ignored] = await Promise.all([false, true].map((ignoreIcc) => sharp(rocket, { ignoreIcc }).raw().toBuffer()));
    assert.equal(maxDifference(decoded.data, ignored!), 0);
    assert.ok(maxDifference(decoded.data, kept!) > 10, 'a conversion would have moved the pixels');
  });
});
