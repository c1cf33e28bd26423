import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, fixture, postImage } from '../support/service.js';

let service: RunningServer;

const BOUNDARY = 'imgsense-truncated';

/** A multipart body whose file part starts, carries a few bytes, and never reaches its closing boundary. */
function unterminated(field: string, bytes: Buffer): Buffer {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="x.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), bytes]);
}

/** Send raw bytes with a correct Content-Length, or chunked; resolve with the status and body (or the socket error). */
function send(route: string, body: Buffer, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
    if (!chunked) headers['content-length'] = String(body.length);
    const req = request(`${service.url}${route}`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    if (chunked) req.write(body.subarray(0, 60));
    req.end(chunked ? body.subarray(60) : body);
  });
}

describe('unterminated multipart bodies never take the server down (real server, real models)', () => {
  before(async () => {
    service = await boot();
  });
  after(() => service.drain());

  const variants = [
    { what: 'the "image" part, 4 bytes, then the end', field: 'image', bytes: fixture('cat.jpg').subarray(0, 4) },
    { what: 'the "image" part, half a JPEG, then the end', field: 'image', bytes: fixture('cat.jpg').subarray(0, 4096) },
    { what: 'a part under another field name, then the end', field: 'photo', bytes: Buffer.from('abcd') },
  ];
  for (const route of ['/caption', '/moderate']) {
    for (const variant of variants) {
      for (const chunked of [false, true]) {
        it(`when ${route} gets ${variant.what} (${chunked ? 'chunked' : 'Content-Length'}), then 400 truncated_body`, async () => {
          const answer = await send(route, unterminated(variant.field, variant.bytes), chunked);
          assert.equal(answer.status, 400, answer.body);
          const problem = JSON.parse(answer.body);
          assertMatchesSpec('problem', problem);
          assert.equal(problem.code, 'truncated_body');
        });
      }
    }
  }

  it('when all of those have been sent, then the server still captions a real photo', async () => {
    const response = await postImage(service.url, fixture('cat.jpg'), 'image/jpeg');
    assert.equal(response.status, 200);
    const body: any = await response.json();
    assertMatchesSpec('caption', body);
    assert.match(body.alt_text, /cat/);
  });
});
