import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, bootStub, fixture, postImage } from '../support/service.js';

const BODY_LIMIT = 100_000;
let service: RunningServer;
let base: string;

async function expectProblem(response: Response, status: number, code: string): Promise<void> {
  const body: any = await response.json();
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assertMatchesSpec('problem', body);
  assert.equal(body.code, code);
  assert.equal(body.type, `https://imgsense.invalid/problems/${code.replaceAll('_', '-')}`);
  assert.equal(body.request_id, response.headers.get('x-request-id'));
}

async function stillServes(): Promise<void> {
  const response = await postImage(base, fixture('cat.jpg'), 'image/jpeg');
  assert.equal(response.status, 200);
  assertMatchesSpec('caption', await response.json());
}

function multipart(field: string, bytes: Buffer, filename = 'cat.jpg') {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type: 'image/jpeg' }), filename);
  return form;
}

/** Send the body in chunks without a Content-Length, so only the streaming limit can catch it. */
function postChunked(body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/caption`, { method: 'POST', headers: { 'content-type': 'image/png' } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    for (let at = 0; at < body.length; at += 16_384) req.write(body.subarray(at, at + 16_384));
    req.end();
  });
}

describe('POST /caption error cases (the app with stub models)', () => {
  before(async () => {
    service = await bootStub({ BODY_LIMIT_BYTES: String(BODY_LIMIT), MAX_PIXELS: '20000000' });
    base = service.url;
  });
  after(() => service.drain());

  it('when the body is empty, then 400 empty_body', async () => {
    await expectProblem(await postImage(base, new Uint8Array(0), 'image/jpeg'), 400, 'empty_body');
    await stillServes();
  });

  it('when the multipart form has no "image" field, then 400 missing_image_field', async () => {
    const response = await fetch(`${base}/caption`, { method: 'POST', body: multipart('photo', fixture('cat.jpg')) });
    await expectProblem(response, 400, 'missing_image_field');
    await stillServes();
  });

  it('when the multipart form has the file in "image", then 200', async () => {
    const response = await fetch(`${base}/caption`, { method: 'POST', body: multipart('image', fixture('cat.jpg')) });
    assert.equal(response.status, 200);
    assertMatchesSpec('caption', await response.json());
  });

  it('when a query parameter breaks the contract, then 400 invalid_request naming it', async () => {
    const response = await postImage(base, fixture('cat.jpg'), 'image/jpeg', '?max_labels=0');
    const body: any = await response.clone().json();
    assert.match(body.detail, /max_labels/);
    await expectProblem(response, 400, 'invalid_request');
    await stillServes();
  });

  const unsupported: [string, string, string][] = [
    ['an SVG', 'external-url.svg', 'image/png'],
    ['a PDF', 'document.pdf', 'image/jpeg'],
    ['text', 'note.txt', 'image/png'],
    ['unknown bytes', 'random.bin', 'image/webp'],
  ];
  for (const [what, name, type] of unsupported) {
    it(`when the upload is ${what} sent as ${type}, then 415 unsupported_media_type`, async () => {
      await expectProblem(await postImage(base, fixture(name), type), 415, 'unsupported_media_type');
      await stillServes();
    });
  }

  it('when the content type is not an image type, then 415 before the body is read', async () => {
    await expectProblem(await postImage(base, fixture('cat.jpg'), 'text/plain'), 415, 'unsupported_media_type');
    await expectProblem(await postImage(base, fixture('external-url.svg'), 'image/svg+xml'), 415, 'unsupported_media_type');
    await stillServes();
  });

  it('when an SVG points at a URL, then it is refused and nothing is fetched', async () => {
    let connections = 0;
    const trap: Server = createServer((socket) => (connections++, socket.destroy()));
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const port = (trap.address() as { port: number }).port;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><image href="http://127.0.0.1:${port}/x.png" width="8" height="8"/></svg>`;
    await expectProblem(await postImage(base, Buffer.from(svg), 'image/png'), 415, 'unsupported_media_type');
    const form = new FormData();
    form.append('image', new Blob([svg], { type: 'image/svg+xml' }), 'x.svg');
    await expectProblem(await fetch(`${base}/caption`, { method: 'POST', body: form }), 415, 'unsupported_media_type');
    await new Promise((resolve) => setTimeout(resolve, 200));
    trap.close();
    assert.equal(connections, 0);
  });

  it('when the declared body is over the size limit, then 413 body_too_large', async () => {
    const big = fixture('coffee-alpha.png');
    assert.ok(big.length > BODY_LIMIT);
    await expectProblem(await postImage(base, big, 'image/png'), 413, 'body_too_large');
    await stillServes();
  });

  it('when a chunked body grows over the size limit, then 413 body_too_large', async () => {
    const answer = await postChunked(fixture('coffee-alpha.png'));
    assert.equal(answer.status, 413);
    assert.equal(JSON.parse(answer.body).code, 'body_too_large');
    await stillServes();
  });

  it('when the PNG header claims more pixels than the limit, then 413 too_many_pixels', async () => {
    await expectProblem(await postImage(base, fixture('pixel-bomb.png'), 'image/png'), 413, 'too_many_pixels');
    await stillServes();
  });

  it('when the JPEG is truncated, then 422 corrupt_image', async () => {
    await expectProblem(await postImage(base, fixture('cat-truncated.jpg'), 'image/jpeg'), 422, 'corrupt_image');
    await stillServes();
  });

  it('when the path or method is unknown, then 404 / 405 problem+json', async () => {
    await expectProblem(await fetch(`${base}/nope`), 404, 'not_found');
    await expectProblem(await fetch(`${base}/caption`), 405, 'method_not_allowed');
  });

  it('when the client sends X-Request-ID, then it is echoed', async () => {
    const response = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
    assert.equal(response.headers.get('x-request-id'), 'trace-42');
  });
});
