// /moderate shares receive and decode with /caption, so every error case must answer exactly as /caption's does.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, fixture, postImageTo } from '../support/service.js';

const BODY_LIMIT = 100_000;
const ROUTES = ['/moderate', '/caption'] as const;
let service: RunningServer;

const post = (route: string, body: Uint8Array, type: string) => postImageTo(service.url, route, body, type);

async function problemOf(response: Response): Promise<{ status: number; code: string; type: string }> {
  const body: any = await response.json();
  assertMatchesSpec('problem', body);
  assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(body.request_id, response.headers.get('x-request-id'));
  return { status: response.status, code: body.code, type: body.type };
}

/** Send the same bad request to both routes: /moderate must answer with /caption's status, code and type. */
async function sameAsCaption(send: (route: string) => Promise<Response>, status: number, code: string): Promise<void> {
  const [moderate, caption] = [await problemOf(await send('/moderate')), await problemOf(await send('/caption'))];
  assert.deepEqual(moderate, caption);
  assert.deepEqual([moderate.status, moderate.code], [status, code]);
  const still = await post('/moderate', fixture('cat.jpg'), 'image/jpeg');
  assert.equal(still.status, 200);
  assertMatchesSpec('moderation', await still.json());
}

function multipart(field: string, bytes: Buffer) {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type: 'image/jpeg' }), 'cat.jpg');
  return form;
}

function postChunked(route: string, body: Buffer): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(`${service.url}${route}`, { method: 'POST', headers: { 'content-type': 'image/png' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode!, headers: res.headers as Record<string, string> })),
      );
    });
    req.on('error', reject);
    for (let at = 0; at < body.length; at += 16_384) req.write(body.subarray(at, at + 16_384));
    req.end();
  });
}

describe('POST /moderate error cases match /caption (real server, both models, queue bound 1)', () => {
  before(async () => {
    service = await boot({
      BODY_LIMIT_BYTES: String(BODY_LIMIT),
      MAX_PIXELS: '20000000',
      QUEUE_MAX: '1',
      BATCH_MAX_SIZE: '1',
      BATCH_MAX_WAIT_MS: '0',
    });
  });
  after(() => service.drain());

  it('when the body is empty, then 400 empty_body', async () => {
    await sameAsCaption((route) => post(route, new Uint8Array(0), 'image/jpeg'), 400, 'empty_body');
  });

  it('when the multipart form has no "image" field, then 400 missing_image_field', async () => {
    const send = (route: string) => fetch(`${service.url}${route}`, { method: 'POST', body: multipart('photo', fixture('cat.jpg')) });
    await sameAsCaption(send, 400, 'missing_image_field');
  });

  it('when the multipart form has the file in "image", then 200', async () => {
    const response = await fetch(`${service.url}/moderate`, { method: 'POST', body: multipart('image', fixture('cat.jpg')) });
    assert.equal(response.status, 200);
    assertMatchesSpec('moderation', await response.json());
  });

  const unsupported: [string, string, string][] = [
    ['an SVG', 'external-url.svg', 'image/png'],
    ['a PDF', 'document.pdf', 'image/jpeg'],
    ['text', 'note.txt', 'image/png'],
    ['unknown bytes', 'random.bin', 'image/webp'],
    ['a JPEG declared as text/plain', 'cat.jpg', 'text/plain'],
  ];
  for (const [what, name, type] of unsupported) {
    it(`when the upload is ${what} sent as ${type}, then 415 unsupported_media_type`, async () => {
      await sameAsCaption((route) => post(route, fixture(name), type), 415, 'unsupported_media_type');
    });
  }

  it('when the declared body is over the size limit, then 413 body_too_large', async () => {
    await sameAsCaption((route) => post(route, fixture('coffee-alpha.png'), 'image/png'), 413, 'body_too_large');
  });

  it('when a chunked body grows over the size limit, then 413 body_too_large', async () => {
    await sameAsCaption((route) => postChunked(route, fixture('coffee-alpha.png')), 413, 'body_too_large');
  });

  it('when the PNG header claims more pixels than the limit, then 413 too_many_pixels', async () => {
    await sameAsCaption((route) => post(route, fixture('pixel-bomb.png'), 'image/png'), 413, 'too_many_pixels');
  });

  it('when the JPEG is truncated, then 422 corrupt_image', async () => {
    await sameAsCaption((route) => post(route, fixture('cat-truncated.jpg'), 'image/jpeg'), 422, 'corrupt_image');
  });

  it('when the method is not POST, then 405 method_not_allowed', async () => {
    await sameAsCaption((route) => fetch(`${service.url}${route}`), 405, 'method_not_allowed');
  });

  for (const route of ROUTES) {
    it(`when ${route} requests overflow the queue, then 503 overloaded with Retry-After, never 500, and the server keeps serving`, async () => {
      const responses = await Promise.all(Array.from({ length: 30 }, () => post(route, fixture('cat.jpg'), 'image/jpeg')));
      const statuses = responses.map((r) => r.status);
      assert.ok(
        statuses.every((s) => s === 200 || s === 503),
        statuses.join(','),
      );
      assert.ok(statuses.includes(503), 'no request was shed');
      assert.ok(statuses.includes(200), 'nothing was served');
      for (const response of responses.filter((r) => r.status === 503)) {
        assert.equal(response.headers.get('retry-after'), '1');
        assert.equal((await problemOf(response)).code, 'overloaded');
      }
      assert.equal((await post('/moderate', fixture('cat.jpg'), 'image/jpeg')).status, 200);
      assert.equal((await post('/caption', fixture('cat.jpg'), 'image/jpeg')).status, 200);
    });
  }
});
