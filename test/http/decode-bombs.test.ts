import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { RunningServer } from '../../src/server.js';
import { bootStub, expectProblem, fixture, postImage } from '../support/service.js';
import { patchIspe, png16InterlacedWithHeader, pngWithHeader, scanBomb, strayByteScanBomb } from '../unit/bombs.js';

// Issue 12, findings 2 and 3: files of a few kB within the 50 M pixel limit that cost seconds of CPU or a GB of memory.
let service: RunningServer;

/**
 * Post, with the CPU time the process (the service runs in it) spent until the answer: a refusal from the header costs
 * milliseconds, decoding these took seconds of CPU. CPU time, not wall-clock time, so a busy machine does not fail it.
 */
async function timedPost(bytes: Buffer, type: string): Promise<{ response: Response; ms: number }> {
  const started = process.cpuUsage();
  const response = await postImage(service.url, bytes, type);
  await response.clone().arrayBuffer();
  const { user, system } = process.cpuUsage(started);
  return { response, ms: (user + system) / 1000 };
}

describe('decompression bombs are refused from the header, before decoding (the app with stub models)', () => {
  before(async () => {
    service = await bootStub({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false' });
  });
  after(() => service.drain());

  it('when a 7071 x 7071 progressive JPEG has 5,000 empty scans, then 422 image_too_complex', async () => {
    const { response, ms } = await timedPost(await scanBomb(5000), 'image/jpeg');
    const problem = await expectProblem(response, 422, 'image_too_complex');
    assert.match(problem.detail, /more than 100 scans/);
    assert.ok(ms < 2000, `${ms} ms of CPU`);
  });

  it('when a tiny AVIF declares 7071 x 7071 (within MAX_PIXELS, over MAX_PIXELS_HEIF), then 413 too_many_pixels from the header', async () => {
    const small = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } })
      .avif({ effort: 0 })
      .toBuffer();
    const bomb = patchIspe(small, 7071, 7071);
    assert.ok(bomb.length < 2000);
    const { response, ms } = await timedPost(bomb, 'image/avif');
    const problem = await expectProblem(response, 413, 'too_many_pixels');
    assert.match(problem.detail, /avif has 49999041 pixels; the limit is 16777216/);
    assert.ok(ms < 2000, `${ms} ms of CPU`);
  });

  it('when a HEIF declares 7071 x 7071, then 413 too_many_pixels from the header', async () => {
    const { response, ms } = await timedPost(patchIspe(fixture('coffee.heif'), 7071, 7071), 'image/heif');
    await expectProblem(response, 413, 'too_many_pixels');
    assert.ok(ms < 2000, `${ms} ms of CPU`);
  });

  it('when a 58 kB-class PNG declares 5 x 9,999,999, then 422 image_too_complex for its aspect ratio', async () => {
    const { response, ms } = await timedPost(await pngWithHeader(5, 9_999_999), 'image/png');
    const problem = await expectProblem(response, 422, 'image_too_complex');
    assert.match(problem.detail, /5 x 9999999/);
    assert.ok(ms < 2000, `${ms} ms of CPU`);
  });

  it('when a 16-bit interlaced PNG declares 50,000 x 1,000 (within MAX_PIXELS), then 422 image_too_complex for its decoded bytes', async () => {
    const { response, ms } = await timedPost(await png16InterlacedWithHeader(50_000, 1000), 'image/png');
    const problem = await expectProblem(response, 422, 'image_too_complex');
    assert.match(problem.detail, /decodes to 300000000 bytes/);
    assert.ok(ms < 2000, `${ms} ms`);
  });

  it('when a progressive cat.jpg hides 500 extra scans behind a stray byte, then 422 image_too_complex', async () => {
    const { response, ms } = await timedPost(await strayByteScanBomb(fixture('cat.jpg'), 500), 'image/jpeg');
    const problem = await expectProblem(response, 422, 'image_too_complex');
    assert.match(problem.detail, /more than 100 scans/);
    assert.ok(ms < 2000, `${ms} ms`);
  });

  it('when a panorama is 50:1 (the limit) or a real AVIF / HEIF photo is sent, then 200', async () => {
    const panorama = await sharp({ create: { width: 5000, height: 100, channels: 3, background: '#3060a0' } })
      .png()
      .toBuffer();
    assert.equal((await postImage(service.url, panorama, 'image/png')).status, 200);
    assert.equal((await postImage(service.url, fixture('rocket.avif'), 'image/avif')).status, 200);
    assert.equal((await postImage(service.url, fixture('coffee.heif'), 'image/heif')).status, 200);
  });
});
