/** The protocol battery: raw requests that bend HTTP/1.1 framing, methods, targets and headers, each answered or refused cleanly. */
import { fixture } from '../support/service.js';

export interface BatteryCase {
  readonly name: string;
  readonly pieces: (string | Buffer)[];
  /** The status it must get, where there is one right answer; otherwise any 2xx, 3xx or 4xx / 503 problem+json. */
  readonly expect?: number;
  readonly head?: boolean;
}

const JPEG = fixture('cat.jpg');
const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const post = (target: string, extra: string[], body: Buffer | string = JPEG) => {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  return [
    head([`POST ${target} HTTP/1.1`, 'Host: x', 'Connection: close', 'Content-Type: image/jpeg', `Content-Length: ${length}`, ...extra]),
    body,
  ];
};

const METHODS = ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'BREW'];
const TARGETS = ['/caption', '/moderate', '/healthz', '/readyz', '/metrics', '/', '/nope'];

/** Every method on every target: 10 x 7 = 70 cases. */
function methodMatrix(): BatteryCase[] {
  return METHODS.flatMap((method) =>
    TARGETS.map((target) => ({
      name: `${method} ${target}`,
      pieces: [head([`${method} ${method === 'CONNECT' ? 'x:443' : target} HTTP/1.1`, 'Host: x', 'Connection: close'])],
      head: method === 'HEAD',
      ...(method === 'CONNECT' ? { expect: 405 } : {}),
    })),
  );
}

const ODD_TARGETS = [
  '/caption?max_labels=abc',
  '/caption?max_labels=999',
  '/caption?max_labels=1&max_labels=2',
  '/caption?%zz=%zz',
  '/caption?precision_target=NaN',
  '/caption?precision_target=1e309',
  '/moderate?categories=',
  '/moderate?thresholds[sexual]=x',
  '/moderate?thresholds[__proto__]=0.5',
  '/moderate?thresholds[constructor][prototype]=1',
  '//caption',
  '/caption/',
  '/CAPTION',
  '/caption%00',
  '/caption;x',
  '/../../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  `/caption?${'a=1&'.repeat(2000)}`,
  `/${'a'.repeat(8000)}`,
  'http://x/caption',
  'https://evil.example/caption',
  '*',
];

/** Query strings and request targets a parser or a router could trip on. */
function oddTargets(): BatteryCase[] {
  return ODD_TARGETS.map((target) => ({ name: `POST ${target.slice(0, 60)}`, pieces: post(target, []) }));
}

/** Framing and header cases (the smuggling classics among them). */
function framing(): BatteryCase[] {
  const base = ['POST /caption HTTP/1.1', 'Host: x', 'Connection: close', 'Content-Type: image/jpeg'];
  const chunked = [...base, 'Transfer-Encoding: chunked'];
  return [
    { name: 'negative Content-Length', pieces: [head([...base, 'Content-Length: -1'])], expect: 400 },
    { name: 'Content-Length with a plus sign', pieces: [head([...base, 'Content-Length: +4']), 'abcd'], expect: 400 },
    { name: 'huge Content-Length', pieces: [head([...base, 'Content-Length: 99999999999999999999'])] },
    { name: 'Content-Length over the body limit', pieces: [head([...base, 'Content-Length: 999999999'])], expect: 413 },
    { name: 'two different Content-Lengths', pieces: [head([...base, 'Content-Length: 4', 'Content-Length: 5']), 'abcde'], expect: 400 },
    { name: 'Content-Length: 0', pieces: [head([...base, 'Content-Length: 0'])], expect: 400 },
    { name: 'CL.TE smuggling', pieces: [head([...base, 'Content-Length: 6', 'Transfer-Encoding: chunked']), '0\r\n\r\nG'], expect: 400 },
    { name: 'TE.CL smuggling', pieces: [head([...chunked, 'Content-Length: 3']), '8\r\nSMUGGLED\r\n0\r\n\r\n'], expect: 400 },
    { name: 'Transfer-Encoding: gzip', pieces: [head([...base, 'Transfer-Encoding: gzip']), 'abcd'] },
    { name: 'Transfer-Encoding: chunked, chunked', pieces: [head([...base, 'Transfer-Encoding: chunked, chunked']), '0\r\n\r\n'] },
    { name: 'Transfer-Encoding: xchunked', pieces: [head([...base, 'Transfer-Encoding: xchunked']), '0\r\n\r\n'] },
    { name: 'chunk size overflow', pieces: [head(chunked), 'ffffffffffffffffff\r\nabcd\r\n'], expect: 400 },
    { name: 'chunk extension', pieces: [head(chunked), `${JPEG.length.toString(16)};ext=1\r\n`, JPEG, '\r\n0\r\n\r\n'], expect: 200 },
    {
      name: 'chunked with a trailer',
      pieces: [head(chunked), `${JPEG.length.toString(16)}\r\n`, JPEG, '\r\n0\r\nX-Trailer: 1\r\n\r\n'],
      expect: 200,
    },
    { name: 'chunk data longer than its size', pieces: [head(chunked), '2\r\nabcdef\r\n0\r\n\r\n'], expect: 400 },
    { name: 'bare LF line endings', pieces: ['POST /caption HTTP/1.1\nHost: x\nContent-Length: 4\n\nabcd'] },
    { name: 'obs-fold header', pieces: [head([...base, 'X-Folded: a', ' b', `Content-Length: ${JPEG.length}`]), JPEG] },
    { name: 'NUL in a header value', pieces: [head([...base, 'X-Nul: a\0b', 'Content-Length: 4']), 'abcd'], expect: 400 },
    { name: 'a header line without a colon', pieces: [head([...base, 'NoColonHere', 'Content-Length: 4']), 'abcd'], expect: 400 },
    { name: 'a space before the colon', pieces: [head([...base, 'Content-Length : 4']), 'abcd'], expect: 400 },
    { name: 'HTTP/1.0 without Host', pieces: [head(['GET /healthz HTTP/1.0'])], expect: 200 },
    { name: 'HTTP/2.0 on the request line', pieces: [head(['GET /healthz HTTP/2.0', 'Host: x'])] },
    { name: 'HTTP/1.1 with a lower-case version', pieces: [head(['GET /healthz http/1.1', 'Host: x'])], expect: 400 },
    { name: 'the HTTP/2 preface', pieces: ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'] },
    {
      name: 'h2c upgrade',
      pieces: [
        head([
          'GET /healthz HTTP/1.1',
          'Host: x',
          'Connection: Upgrade, HTTP2-Settings',
          'Upgrade: h2c',
          'HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA',
        ]),
      ],
    },
    {
      name: 'websocket upgrade',
      pieces: [
        head([
          'GET /caption HTTP/1.1',
          'Host: x',
          'Connection: Upgrade',
          'Upgrade: websocket',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ]),
      ],
    },
    { name: 'Expect: 100-continue', pieces: [head([...base, 'Expect: 100-continue', `Content-Length: ${JPEG.length}`]), JPEG] },
    { name: 'Expect: something else', pieces: [head([...base, 'Expect: teapot', 'Content-Length: 4']), 'abcd'], expect: 417 },
    { name: 'two Host headers', pieces: [head(['GET /healthz HTTP/1.1', 'Host: x', 'Host: y', 'Connection: close'])] },
    {
      name: 'a 10 KB Content-Type',
      pieces: [
        head(['POST /caption HTTP/1.1', 'Host: x', 'Connection: close', `Content-Type: image/${'x'.repeat(10_000)}`, 'Content-Length: 4']),
        'abcd',
      ],
      expect: 415,
    },
    {
      name: 'multipart without a boundary',
      pieces: [
        head(['POST /caption HTTP/1.1', 'Host: x', 'Connection: close', 'Content-Type: multipart/form-data', 'Content-Length: 4']),
        'abcd',
      ],
    },
    {
      name: 'multipart with a 1000-character boundary',
      pieces: [
        head([
          'POST /caption HTTP/1.1',
          'Host: x',
          'Connection: close',
          `Content-Type: multipart/form-data; boundary=${'b'.repeat(1000)}`,
          'Content-Length: 4',
        ]),
        'abcd',
      ],
    },
    {
      name: 'image/jpeg with parameters',
      pieces: post('/caption', []).map((p, i) => (i === 0 ? String(p).replace('image/jpeg', 'image/jpeg; charset=utf-8; q=0.5') : p)),
    },
    {
      name: 'no Content-Type',
      pieces: [head(['POST /caption HTTP/1.1', 'Host: x', 'Connection: close', `Content-Length: ${JPEG.length}`]), JPEG],
      expect: 415,
    },
    { name: 'Content-Encoding: gzip on garbage', pieces: post('/caption', ['Content-Encoding: gzip'], 'not gzip at all') },
    { name: 'a malformed Authorization', pieces: post('/caption', ['Authorization: Bearer']) },
    { name: 'an unsafe X-Request-ID', pieces: post('/caption', [`X-Request-ID: ${'<script>'.repeat(40)}`]), expect: 200 },
    { name: 'Range on a model route', pieces: post('/caption', ['Range: bytes=0-10']), expect: 200 },
    {
      name: '1,000 small headers',
      pieces: [head(['GET /healthz HTTP/1.1', 'Host: x', 'Connection: close', ...Array.from({ length: 1000 }, (_, i) => `X-${i}: 1`)])],
    },
    { name: 'headers over 16 KiB', pieces: [head(['GET /healthz HTTP/1.1', 'Host: x', `X-Big: ${'a'.repeat(20_000)}`])], expect: 431 },
    {
      name: 'three pipelined requests',
      pieces: [head(['GET /healthz HTTP/1.1', 'Host: x']).repeat(2) + head(['GET /healthz HTTP/1.1', 'Host: x', 'Connection: close'])],
      expect: 200,
    },
    {
      name: 'a body shorter than its Content-Length',
      pieces: [head([...base, 'Content-Length: 100000']), JPEG.subarray(0, 100)],
      expect: 408,
    },
    { name: 'headers that never finish', pieces: ['GET /healthz HTTP/1.1\r\nHost: x\r\n'], expect: 408 },
    { name: 'binary garbage', pieces: [Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256))], expect: 400 },
  ];
}

/** The whole battery: 136 cases. */
export const BATTERY: readonly BatteryCase[] = [...methodMatrix(), ...oddTargets(), ...framing()];
