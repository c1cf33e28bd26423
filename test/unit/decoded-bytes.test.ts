import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { checkDecodedBytes, DECODE_LIMIT_DEFAULTS, decodeImage, ImageRejectedError } from '../../src/image/decode.js';
import { fixture } from '../support/service.js';
import { png16InterlacedWithHeader } from './bombs.js';

// Issue 25, finding 2: the pixel limit let a 16-bit interlaced 50,000 x 1,000 PNG take +650 MiB in one request.
const tooComplex = (e: unknown) => e instanceof ImageRejectedError && e.reason === 'too_complex';

describe('the decoded-bytes bound, read from the header before decoding', () => {
  it('when width x height x channels x bytes per sample exceeds the limit, then too_complex naming the bytes', () => {
    assert.throws(
      () => checkDecodedBytes({ width: 50_000, height: 1000, channels: 3, depth: 'ushort' }, 200_000_000),
      (e) => {
        assert.ok(tooComplex(e));
        assert.match((e as Error).message, /300000000 bytes \(50000 x 1000, 3 channels of 16 bits\); the limit is 200000000/);
        return true;
      },
    );
  });

  it('when the same image is 8-bit, or exactly at the limit, then it passes', () => {
    checkDecodedBytes({ width: 50_000, height: 1000, channels: 3, depth: 'uchar' }, 200_000_000);
    checkDecodedBytes({ width: 50_000, height: 1000, channels: 4, depth: 'uchar' }, 200_000_000);
  });

  it('when the header names no depth or channels, then the bound assumes 16-bit RGBA rather than nothing', () => {
    assert.throws(() => checkDecodedBytes({ width: 10_000, height: 10_000 }, 200_000_000), tooComplex);
    checkDecodedBytes({ width: 5000, height: 5000 }, 200_000_000);
  });

  it('when a 16-bit interlaced PNG declares 50,000 x 1,000 (within the pixel limit), then decodeImage refuses it from the header', async () => {
    const bomb = await png16InterlacedWithHeader(50_000, 1000);
    const meta = await sharp(bomb).metadata();
    assert.deepEqual([meta.width, meta.height, meta.depth, meta.isProgressive], [50_000, 1000, 'ushort', true]);
    const started = process.cpuUsage();
    await assert.rejects(decodeImage(bomb, { maxPixels: 50_000_000 }), tooComplex);
    const used = process.cpuUsage(started);
    const cpuMs = (used.user + used.system) / 1000;
    assert.ok(cpuMs < 1000, `${cpuMs} ms of CPU: the header alone was read`);
  });

  it('when a real photo or a 16-bit PNG of ordinary size is decoded, then the default bound lets it through', async () => {
    assert.ok(DECODE_LIMIT_DEFAULTS.maxDecodedBytes >= 50_000_000 * 4);
    await decodeImage(fixture('cat.jpg'), { maxPixels: 50_000_000 });
    const png16 = await sharp(fixture('cat.jpg')).toColourspace('rgb16').png().toBuffer();
    assert.equal((await sharp(png16).metadata()).depth, 'ushort');
    await decodeImage(png16, { maxPixels: 50_000_000 });
  });
});
