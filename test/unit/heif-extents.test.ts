import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { checkUpload } from '../../src/image/decode.js';
import { largestHeifExtent } from '../../src/image/heif-extents.js';
import { patchIspe } from './bombs.js';

// Issue 25, finding 8: 99 GLib-CRITICAL lines per 20,000 fuzz inputs; a HEIF whose ispe box declares 320 x 536,871,125
// (fuzz seed 20261201, case 2698) printed three, from libvips's header read and decode, before libheif refused it.
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const limits = { maxPixels: 50_000_000 };

describe('HEIF and AVIF sizes from their ispe boxes', () => {
  for (const name of ['coffee.heif', 'rocket.avif']) {
    it(`when ${name} is read, then its largest ispe extent is its width x height as sharp reports it`, async () => {
      const meta = await sharp(fixture(name)).metadata();
      assert.equal(largestHeifExtent(fixture(name)), meta.width * meta.height);
    });
  }

  it('when an ispe box declares 320 x 536,871,125, then the upload is refused (too_many_pixels) before sharp, and nothing is printed to stderr', () => {
    const script = `
      import { checkUpload } from './src/image/decode.ts';
      import { patchIspe } from './test/unit/bombs.ts';
      import { readFileSync } from 'node:fs';
      const bytes = patchIspe(readFileSync('test/fixtures/coffee.heif'), 320, 536871125);
      await checkUpload(bytes, { maxPixels: 50000000 }).then(() => console.log('accepted'), (e) => console.log(e.reason));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(child.stdout.trim(), 'too_many_pixels', child.stderr);
    assert.equal(child.stderr, '');
  });

  it('when the sizes are within the HEIF limit, then a patched file is not refused for its size', async () => {
    const source = patchIspe(fixture('coffee.heif'), 2000, 2000);
    await checkUpload(source, limits).then(
      () => undefined,
      (error: { reason: string }) => assert.notEqual(error.reason, 'too_many_pixels'),
    );
  });
});
