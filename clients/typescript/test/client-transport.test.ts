import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ImgsenseClient, ImgsenseProblemError } from '../src/index.js';

/** A stand-in service whose answers each test scripts: HTTP behaviour of the client only, no model. */
let answer: (req: IncomingMessage, res: ServerResponse) => void;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => answer(req, res));
});
let baseUrl: string;
before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const CAPTION = { alt_text: 'Probably a domestic cat.' };
const overloaded = (res: ServerResponse, retryAfter: string) =>
  res
    .writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': retryAfter })
    .end(JSON.stringify({ type: 'https://imgsense.invalid/problems/overloaded', title: 'Overloaded', status: 503, code: 'overloaded' }));

describe('the client over HTTP: retries, Retry-After and the timeout', () => {
  it('when the service answers 503 with Retry-After twice, then the call waits that long each time and resolves', async () => {
    const arrivals: number[] = [];
    answer = (_req, res) => {
      arrivals.push(performance.now());
      if (arrivals.length <= 2) overloaded(res, '1');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(CAPTION));
    };
    const result = await new ImgsenseClient({ baseUrl }).caption(new Uint8Array([1, 2, 3]));
    assert.equal(result.alt_text, CAPTION.alt_text);
    assert.equal(arrivals.length, 3);
    // Retry-After: 1 means no sooner than a second (plus up to 20 % jitter); the order of arrivals is what is asserted.
    assert.ok(
      arrivals[1]! - arrivals[0]! >= 1000 && arrivals[2]! - arrivals[1]! >= 1000,
      `${arrivals.map((t) => Math.round(t - arrivals[0]!))}`,
    );
  });

  it('when the retries are spent, or set to 0, then the 503 problem is thrown with its Retry-After', async () => {
    let calls = 0;
    answer = (_req, res) => {
      calls += 1;
      overloaded(res, '0');
    };
    await assert.rejects(
      new ImgsenseClient({ baseUrl, retries: 1 }).caption(new Uint8Array([1])),
      (error: ImgsenseProblemError) => error.status === 503 && error.retryAfterSeconds === 0,
    );
    assert.equal(calls, 2);
    calls = 0;
    await assert.rejects(new ImgsenseClient({ baseUrl, retries: 0 }).moderate(new Uint8Array([1])), ImgsenseProblemError);
    assert.equal(calls, 1);
  });

  it('when the service does not answer within timeoutMs, then the call rejects with a TimeoutError', async () => {
    const held: ServerResponse[] = [];
    answer = (_req, res) => held.push(res);
    await assert.rejects(new ImgsenseClient({ baseUrl, timeoutMs: 200, retries: 0 }).caption(new Uint8Array([1])), {
      name: 'TimeoutError',
    });
    for (const res of held) res.destroy();
  });

  // The Retry-After is 30 s and the test's own limit 10 s: a client that waited out the Retry-After fails here.
  it('when the caller aborts during a Retry-After wait, then the call rejects at once with the abort', { timeout: 10_000 }, async () => {
    answer = (_req, res) => overloaded(res, '30');
    const controller = new AbortController();
    const call = new ImgsenseClient({ baseUrl }).caption(new Uint8Array([1]), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(call, { name: 'AbortError' });
  });
});

describe('the package from CommonJS', () => {
  it('when required with require(), then the client and the error class are there', async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const script =
      "const { ImgsenseClient, ImgsenseProblemError } = require('@imgsense/client'); console.log(typeof ImgsenseClient, typeof ImgsenseProblemError);";
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--no-warnings', '-e', script], { cwd: root }, (error, out, err) =>
        error ? reject(new Error(err)) : resolve(out),
      );
    });
    assert.equal(stdout.trim(), 'function function');
  });
});
