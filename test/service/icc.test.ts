/** Which embedded colour profiles the decoder may ignore: sRGB by primaries and tone curves, and nothing else. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { decodeImage } from '../../src/image/decode.js';
import { isSrgbProfile } from '../../src/image/icc.js';
import { photo } from '../support/photos.js';

/** chelsea.png carries HP's sRGB IEC61966-2.1 profile; rocket.jpg carries Adobe RGB (1998). */
const profileOf = async (file: string) => (await sharp(photo(file)).metadata()).icc!;

/** The offset of a tag's data in a profile. */
function tagOffset(icc: Buffer, sig: string): number {
  const count = icc.readUInt32BE(128);
  for (let i = 0; i < count; i++) if (icc.toString('latin1', 132 + i * 12, 136 + i * 12) === sig) return icc.readUInt32BE(136 + i * 12);
  throw new Error(`no ${sig}`);
}

describe('isSrgbProfile', () => {
  it('when the profile is HP\'s sRGB IEC61966-2.1, then it is sRGB; Adobe RGB (1998) is not', async () => {
    assert.equal(isSrgbProfile(await profileOf('chelsea.png')), true);
    assert.equal(isSrgbProfile(await profileOf('rocket.jpg')), false);
  });
  it('when sRGB\'s red primary or its tone curve is changed, then it is no longer sRGB', async () => {
    const srgb = await profileOf('chelsea.png');
    const red = Buffer.from(srgb);
    const at = tagOffset(red, 'rXYZ') + 8;
    red.writeInt32BE(Math.round(0.45 * 65536), at);
    assert.equal(isSrgbProfile(red), false);
    const gamma = Buffer.from(srgb);
    const curve = tagOffset(gamma, 'gTRC');
    gamma.writeUInt32BE(1, curve + 8); // a one-entry curve is a plain gamma: 2.2, not sRGB's curve
    gamma.writeUInt16BE(Math.round(2.2 * 256), curve + 12);
    assert.equal(isSrgbProfile(gamma), false);
  });
  it('when the bytes are short, not RGB or garbage, then false', () => {
    assert.equal(isSrgbProfile(Buffer.alloc(10)), false);
    assert.equal(isSrgbProfile(Buffer.alloc(400, 7)), false);
  });
  it('when an sRGB-tagged photo is decoded, then the pixels are those of a full profile conversion, and an Adobe RGB one is still converted', async () => {
    for (const file of ['chelsea.png', 'rocket.jpg']) {
      const bytes = photo(file);
      const ours = await decodeImage(bytes, { maxPixels: 1e8 });
      const converted = await sharp(bytes).toColourspace('srgb').removeAlpha().raw().toBuffer();
      assert.equal(ours.data.length, converted.length);
      let worst = 0;
      for (let i = 0; i < converted.length; i++) worst = Math.max(worst, Math.abs(ours.data[i]! - converted[i]!));
      assert.ok(worst <= 1, `${file}: max pixel difference ${worst}`);
    }
    // Ignoring Adobe RGB would have moved pixels by up to 55 levels: the conversion matters there.
    const rocket = photo('rocket.jpg');
    const [kept, ignored] = await Promise.all([false, true].map((ignoreIcc) => sharp(rocket, { ignoreIcc }).raw().toBuffer()));
    assert.ok(kept!.some((v, i) => Math.abs(v - ignored![i]!) > 10));
  });
});
