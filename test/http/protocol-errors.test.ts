import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, bootStub } from '../support/service.js';

// Issue 12, finding 4: Node's HTTP parser used to answer these with a bare status line (no clientError handler).
let service: RunningServer;
let port: number;

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Write `request` on a fresh socket (all at once, or not finished for a timeout) and read until the server closes it. */
function raw(request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(request);
  });
}

function assertProblem(answer: RawAnswer, status: number, code: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer));
  assert.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(answer.headers.connection, 'close');
  assert.equal(Number(answer.headers['content-length']), Buffer.byteLength(answer.body));
  const problem = JSON.parse(answer.body);
  assertMatchesSpec('problem', problem);
  assert.equal(problem.code, code);
  assert.equal(problem.status, status);
  assert.ok(problem.request_id);
}

describe("protocol errors are problem+json with Connection: close (the app with stub models, Node's parser)", () => {
  before(async () => {
    service = await bootStub({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false', REQUEST_TIMEOUT_MS: '1500' });
    port = Number(new URL(service.url).port);
  });
  after(() => service.drain());

  const bad400: [string, string][] = [
    ['a Content-Length that is not a number', 'POST /caption HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
    [
      'Content-Length together with chunked',
      'POST /caption HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n',
    ],
    [
      'a chunk size that is not hex',
      'POST /caption HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabcd\r\n',
    ],
    ['no Host header', 'GET /healthz HTTP/1.1\r\n\r\n'],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n'],
  ];
  for (const [what, request] of bad400) {
    it(`when the request has ${what}, then 400 invalid_request`, async () => {
      assertProblem(await raw(request), 400, 'invalid_request');
    });
  }

  it('when the headers are over 16 KiB, then 431 headers_too_large', async () => {
    const answer = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assertProblem(answer, 431, 'headers_too_large');
  });

  it('when the headers never finish, then 408 request_timeout within a few seconds', async () => {
    const started = performance.now();
    const answer = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    assertProblem(answer, 408, 'request_timeout');
    // 1.5 s limit, checked every second; the margin is for a loaded machine (Node's default interval alone was 30 s).
    assert.ok(performance.now() - started < 8000);
  });

  it('when all of those have been sent, then the server still answers', async () => {
    assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
  });
});
