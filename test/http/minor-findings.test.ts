import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { bootStub, expectProblem, fixture, postImage, postImageTo } from '../support/service.js';

// Issue 12, finding 8: a 10 kB Content-Type came back in full in `detail`; a corrupt TIFF was answered 415, not 422.
let service: RunningServer;

describe('client input echoed in problems is capped; corrupt TIFFs are 422 (the app with stub models)', () => {
  before(async () => {
    service = await bootStub({ DETECTOR_ENABLED: 'false' });
  });
  after(() => service.drain());

  it('when the Content-Type is 10 kB, then 415 whose detail quotes at most 200 characters of it', async () => {
    const type = `image/${'x'.repeat(10_000)}`;
    const problem = await expectProblem(await postImage(service.url, fixture('cat.jpg'), type), 415, 'unsupported_media_type');
    assert.ok(problem.detail.length < 300, `${problem.detail.length} characters`);
    assert.match(problem.detail, /\(10006 characters\)/);
  });

  it('when /moderate names a 10 kB category, then 400 whose detail is cut at 500 characters with a note of the length', async () => {
    const query = `?categories=${'c'.repeat(10_000)}`;
    const problem = await expectProblem(
      await postImageTo(service.url, '/moderate', fixture('cat.jpg'), 'image/jpeg', query),
      400,
      'invalid_request',
    );
    assert.ok(problem.detail.length <= 540, `${problem.detail.length} characters`);
  });

  const tiff = fixture('motorcycle.tiff');
  const corrupt: [string, Buffer][] = [
    ['cut in half', tiff.subarray(0, tiff.length >> 1)],
    ['cut after 200 bytes', tiff.subarray(0, 200)],
    ['a TIFF signature and a broken directory', Buffer.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 0xff, 0xff])],
  ];
  for (const [what, bytes] of corrupt) {
    it(`when the TIFF is ${what}, then 422 corrupt_image`, async () => {
      await expectProblem(await postImage(service.url, bytes, 'image/tiff'), 422, 'corrupt_image');
    });
  }

  it('when the TIFF is whole, then 200', async () => {
    assert.equal((await postImage(service.url, tiff, 'image/tiff')).status, 200);
  });
});
