import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { DECODE_LIMIT_DEFAULTS, decodeImage, ImageRejectedError } from '../../src/image/decode.js';
import { ImageSource, imageLimits } from '../../src/image/image-source.js';
import { requestTimeLeftMs, withRequestSignal } from '../../src/runtime/request-signal.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const limits = { maxPixels: 50_000_000 };

describe('ImageSource', () => {
  it('when the request is over (deadline passed or client gone), then a later size is not decoded: at() rejects with its reason', async () => {
    for (const reason of [new Error('deadline passed'), new Error('client gone')]) {
      const request = new AbortController();
      await withRequestSignal(request.signal, async () => {
        const source = await ImageSource.open(fixture('motorcycle.tiff'), limits, 150);
        assert.ok((await source.at(200)).width > 0, 'a later decode while the request is on');
        request.abort(reason);
        await assert.rejects(source.at(300), (error) => error === reason);
        assert.ok((await source.at(200)).width > 0, 'a decode made before the end still serves');
      });
    }
  });

  it('when a request has a deadline, then the time left is known inside it, counted down, and 0 once past', () => {
    const now = Date.now();
    withRequestSignal(
      new AbortController().signal,
      () => {
        assert.equal(requestTimeLeftMs(now), 1500);
        assert.equal(requestTimeLeftMs(now + 2000), 0);
      },
      now + 1500,
    );
    assert.equal(requestTimeLeftMs(), undefined);
  });

  it('when opened, then the working decode is the one decodeImage gives at that size, pixel for pixel', async () => {
    const source = await ImageSource.open(fixture('cat.jpg'), limits, 150);
    const expected = await decodeImage(fixture('cat.jpg'), { ...limits, workingShorterSide: 150 });
    assert.deepEqual([source.working.width, source.working.height, source.format], [226, 150, 'jpeg']);
    assert.ok(source.working.data.equals(expected.data));
  });

  it('when a model asks for more pixels, then the upload is decoded again at that size, once however often it is asked', async () => {
    const source = await ImageSource.open(fixture('cat.jpg'), limits, 150);
    const [first, second] = await Promise.all([source.at(200), source.at(200)]);
    assert.deepEqual([first.width, first.height], [301, 200]);
    assert.equal(first, second);
    assert.equal(await source.at(200), first);
    const expected = await decodeImage(fixture('cat.jpg'), { ...limits, workingShorterSide: 200 });
    assert.ok(first.data.equals(expected.data));
  });

  it('when a model asks for no more than a decode already has, then that decode serves it, the smallest first', async () => {
    const source = await ImageSource.open(fixture('cat.jpg'), limits, 150);
    const larger = await source.at(250);
    assert.equal(await source.at(120), source.working);
    assert.equal(await source.at(150), source.working);
    assert.equal(await source.at(180), larger);
  });

  it('when the upload is smaller than the size asked, then the whole upload serves every size without decoding again', async () => {
    const source = await ImageSource.open(fixture('cat.jpg'), limits, 512);
    assert.deepEqual([source.working.width, source.working.height], [451, 300]);
    assert.equal(await source.at(1280), source.working);
  });

  it('when the upload breaks a limit, then opening it refuses it as decodeImage does', async () => {
    await assert.rejects(
      ImageSource.open(fixture('cat.jpg'), { maxPixels: 1000 }, 150),
      (e) => e instanceof ImageRejectedError && e.reason === 'too_many_pixels',
    );
    await assert.rejects(
      ImageSource.open(fixture('document.pdf'), limits, 150),
      (e) => e instanceof ImageRejectedError && e.reason === 'unsupported_format',
    );
  });

  it('when the limits are taken from the service config, then every decode limit and nothing else is picked', () => {
    const config = loadConfig({ MAX_PIXELS: '1234' });
    const limits = imageLimits(config);
    assert.equal(limits.maxPixels, 1234);
    assert.equal(limits.maxJpegScans, config.maxJpegScans);
    assert.equal(limits.maxAspectRatio, config.maxAspectRatio);
    const names = new Set(['maxPixels', ...Object.keys(DECODE_LIMIT_DEFAULTS)]);
    assert.deepEqual(
      Object.keys(limits).filter((key) => !names.has(key)),
      [],
    );
    assert.ok('host' in config && !('host' in limits));
  });

  it('when built from pixels, then those pixels serve every size', async () => {
    const image = await decodeImage(fixture('cat.jpg'), { ...limits, workingShorterSide: 100 });
    const source = ImageSource.of(image);
    assert.equal(source.working, image);
    assert.equal(await source.at(1000), image);
  });
});
