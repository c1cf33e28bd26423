import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { DECODE_LIMIT_DEFAULTS, decodeImage, ImageRejectedError } from '../../src/image/decode.js';
import { countJpegScans } from '../../src/image/jpeg-scans.js';
import { fixture } from '../support/service.js';
import { scanBomb, strayByteScanBomb } from './bombs.js';

// Issue 12, finding 2: a 7071 x 7071 progressive JPEG whose thousands of scans carry no data cost 27-78 s of CPU.

describe('the JPEG scan count, read from the markers before decoding', () => {
  it('when the JPEG is baseline, then it has 1 scan', () => {
    assert.equal(countJpegScans(fixture('cat.jpg')), 1);
    assert.equal(countJpegScans(fixture('cat-cmyk.jpg')), 1);
  });

  it('when sharp writes a progressive JPEG (colour, grey, 4:4:4, mozjpeg), then it has far fewer scans than the limit', async () => {
    const cat = fixture('cat.jpg');
    const variants = [
      await sharp(cat).jpeg({ progressive: true }).toBuffer(),
      await sharp(cat).greyscale().jpeg({ progressive: true }).toBuffer(),
      await sharp(cat).jpeg({ progressive: true, chromaSubsampling: '4:4:4' }).toBuffer(),
      await sharp(cat).jpeg({ progressive: true, mozjpeg: true }).toBuffer(),
    ];
    for (const bytes of variants) {
      const scans = countJpegScans(bytes);
      assert.ok(scans >= 2 && scans <= 20, `${scans} scans`);
      assert.ok(scans * 5 <= DECODE_LIMIT_DEFAULTS.maxJpegScans);
      await decodeImage(bytes, { maxPixels: 50_000_000 });
    }
  });

  it('when the scan data contains stuffed 0xFF 0x00 bytes and restart markers, then they are not taken for markers', async () => {
    const bytes = await sharp(fixture('cat.jpg')).jpeg({ progressive: true }).toBuffer();
    const progressive = countJpegScans(bytes);
    const sos = bytes.filter((_b, i) => bytes[i] === 0xff && bytes[i + 1] === 0xda).length;
    assert.ok(progressive <= sos, 'never more scans than SOS byte pairs');
  });

  it('when a bomb has 5,000 empty scans, then the walk counts them and stops just past the limit', async () => {
    const bomb = await scanBomb(5000);
    assert.ok(bomb.length < 60_000);
    const meta = await sharp(bomb).metadata();
    assert.equal(meta.isProgressive, true);
    assert.equal(meta.width! * meta.height!, 7071 * 7071, 'within the 50 M pixel limit, so only the scan count can stop it');
    assert.equal(countJpegScans(bomb), 5000);
    assert.equal(countJpegScans(bomb, 100), 101);
  });

  it('when the bomb is decoded, then it is refused as too complex before sharp decodes, in well under a second', async () => {
    const bomb = await scanBomb(5000);
    const started = process.cpuUsage();
    await assert.rejects(
      decodeImage(bomb, { maxPixels: 50_000_000 }),
      (e) => e instanceof ImageRejectedError && e.reason === 'too_complex',
    );
    // Decoding it took 26.8 s of CPU in the attack run; the marker walk is one pass over 50 kB. CPU time, so a busy
    // machine does not fail it.
    const { user, system } = process.cpuUsage(started);
    assert.ok((user + system) / 1000 < 1000, `${(user + system) / 1000} ms of CPU`);
  });

  it('when a bomb has just the limit of scans, then it is not refused for its scans', async () => {
    const atLimit = await scanBomb(DECODE_LIMIT_DEFAULTS.maxJpegScans);
    assert.equal(countJpegScans(atLimit), DECODE_LIMIT_DEFAULTS.maxJpegScans);
  });

  // Issue 25, finding 1: the walk stopped at the first byte that was not a marker and reported the scans so far.
  it('when a stray byte sits before the first SOS, then sharp still decodes the image, so the walk skips it too', async () => {
    const cat = fixture('cat.jpg');
    const clean = countJpegScans(await sharp(cat).jpeg({ progressive: true }).toBuffer());
    const stray = await strayByteScanBomb(cat, 0);
    const image = await decodeImage(stray, { maxPixels: 50_000_000 });
    assert.ok(image.width > 0, 'libjpeg reads past the stray byte (a warning, not an error)');
    assert.equal(countJpegScans(stray), clean);
  });

  it('when a stray byte hides 500 repeated scans, then they are counted and the JPEG is refused as too complex', async () => {
    const cat = fixture('cat.jpg');
    const clean = countJpegScans(await sharp(cat).jpeg({ progressive: true }).toBuffer());
    const bomb = await strayByteScanBomb(cat, 500);
    assert.equal(countJpegScans(bomb), clean + 500);
    await assert.rejects(
      decodeImage(bomb, { maxPixels: 50_000_000 }),
      (e) => e instanceof ImageRejectedError && e.reason === 'too_complex',
    );
  });

  it('when 0xFF 0x00 or garbage sits between segments, then the walk reads on to the next marker', () => {
    const segment = (marker: number, body: number[]) => [0xff, marker, 0x00, body.length + 2, ...body];
    const sos = segment(0xda, [0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]);
    const bytes = Uint8Array.from([0xff, 0xd8, 0xff, 0x00, 0xff, 0xff, ...sos, 0x12, 0x34, 0x56, ...sos, 0xff, 0xd9]);
    assert.equal(countJpegScans(bytes), 2);
  });
});
