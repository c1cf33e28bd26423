import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, bootStub, fixture } from '../support/service.js';

// Issue 12, findings 5 and 6: the body limit applied per file, not per request, and of two "image" parts the last won.
const BODY_LIMIT = 100_000;
const BOUNDARY = 'imgsense-limits';
let service: RunningServer;

function part(field: string, bytes: Buffer, type: string, filename = 'x'): Buffer {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), bytes, Buffer.from('\r\n')]);
}

function form(...parts: Buffer[]): Buffer {
  return Buffer.concat([...parts, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

/** POST a multipart body chunked (no Content-Length, so only the streaming limit can see its size). */
function postChunked(route: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
    const req = request(`${service.url}${route}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    for (let at = 0; at < body.length; at += 16_384) req.write(body.subarray(at, at + 16_384));
    req.end();
  });
}

function expectProblem(answer: { status: number; body: string }, status: number, code: string): any {
  assert.equal(answer.status, status, answer.body);
  const problem = JSON.parse(answer.body);
  assertMatchesSpec('problem', problem);
  assert.equal(problem.code, code);
  return problem;
}

describe('multipart bodies: one limit for the whole request, exactly one "image" (the app with stub models)', () => {
  before(async () => {
    service = await bootStub({ DETECTOR_ENABLED: 'false', BODY_LIMIT_BYTES: String(BODY_LIMIT) });
  });
  after(() => service.drain());

  const cat = fixture('cat.jpg');
  const note = fixture('note.txt');
  assert.ok(cat.length < BODY_LIMIT / 2);

  for (const route of ['/caption', '/moderate']) {
    it(`when ${route} gets a chunked form with a 1 MB non-image part before the photo, then 413 body_too_large`, async () => {
      const filler = Buffer.alloc(1_000_000, 0x61);
      expectProblem(
        await postChunked(route, form(part('notes', filler, 'text/plain'), part('image', cat, 'image/jpeg'))),
        413,
        'body_too_large',
      );
    });

    it(`when ${route} gets the photo then a 1 MB non-image part, then 413 body_too_large too`, async () => {
      const filler = Buffer.alloc(1_000_000, 0x61);
      expectProblem(
        await postChunked(route, form(part('image', cat, 'image/jpeg'), part('notes', filler, 'text/plain'))),
        413,
        'body_too_large',
      );
    });

    for (const [what, first, second] of [
      ['text then a photo', note, cat],
      ['a photo then text', cat, note],
      ['two photos', cat, cat],
    ] as const) {
      it(`when ${route} gets two "image" parts (${what}), then 400 invalid_request naming the field`, async () => {
        const body = form(part('image', first, 'image/jpeg'), part('image', second, 'image/jpeg'));
        const problem = expectProblem(await postChunked(route, body), 400, 'invalid_request');
        assert.match(problem.detail, /more than one "image" part/);
      });
    }

    it(`when ${route} gets one "image" part and a small other part within the limit, then 200`, async () => {
      const answer = await postChunked(route, form(part('notes', Buffer.from('hello'), 'text/plain'), part('image', cat, 'image/jpeg')));
      assert.equal(answer.status, 200, answer.body);
    });
  }
});
