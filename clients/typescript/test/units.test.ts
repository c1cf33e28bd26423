import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findImages } from '../src/cli/find-images.js';
import { isSettled, readSettled } from '../src/cli/journal.js';
import { retryDelaySeconds, withRetries } from '../src/retry.js';
import { ImgsenseProblemError, type Problem } from '../src/problem-error.js';

const work = mkdtempSync(join(tmpdir(), 'imgsense-units-'));
after(() => rmSync(work, { recursive: true, force: true }));

const problem = (status: number, code: Problem['code']): Problem => ({
  type: `https://imgsense.invalid/problems/${code}`,
  title: 't',
  status,
  code,
});

describe('ImgsenseProblemError.fromResponse', () => {
  it('when the body is a problem document, then its members and Retry-After are carried', () => {
    const response = new Response(null, { status: 503, headers: { 'retry-after': '2' } });
    const error = ImgsenseProblemError.fromResponse(response, { ...problem(503, 'overloaded'), detail: 'busy', request_id: 'r1' });
    assert.deepEqual(
      [error.status, error.code, error.detail, error.requestId, error.retryAfterSeconds],
      [503, 'overloaded', 'busy', 'r1', 2],
    );
    assert.equal(error.message, '503 overloaded: busy');
  });

  it('when the body is not a problem (a proxy page), then one is made from the status, with about:blank', () => {
    const response = new Response(null, {
      status: 502,
      statusText: 'Bad Gateway',
      headers: { 'retry-after': new Date(Date.now() + 10_000).toUTCString() },
    });
    const error = ImgsenseProblemError.fromResponse(response, '<html>bad gateway</html>');
    assert.deepEqual(
      [error.type, error.title, error.status, error.code, error.detail],
      ['about:blank', 'Bad Gateway', 502, undefined, '<html>bad gateway</html>'],
    );
    assert.ok(error.retryAfterSeconds! > 5 && error.retryAfterSeconds! <= 10);
  });
});

describe('retries', () => {
  it('when 429 or 503 carries Retry-After, then that wait (capped at 60 s); other problems are not retried', () => {
    assert.equal(retryDelaySeconds(new ImgsenseProblemError(problem(503, 'overloaded'), 1), 0), 1);
    assert.equal(retryDelaySeconds(new ImgsenseProblemError(problem(429, 'rate_limited'), 3600), 0), 60);
    assert.equal(retryDelaySeconds(new ImgsenseProblemError(problem(503, 'not_ready')), 3), 8);
    assert.equal(retryDelaySeconds(new ImgsenseProblemError(problem(415, 'unsupported_media_type')), 0), undefined);
    assert.equal(retryDelaySeconds(new TypeError('fetch failed'), 2), 2);
    assert.equal(retryDelaySeconds(new Error('a bug'), 0), undefined);
  });

  it('when a call fails twice with 503 and then succeeds, then withRetries returns its result after two retries', async () => {
    let calls = 0;
    let retries = 0;
    const waits: number[] = [];
    const result = await withRetries(
      async () => {
        calls += 1;
        if (calls < 3) throw new ImgsenseProblemError(problem(503, 'overloaded'), 1);
        return 'ok';
      },
      5,
      () => (retries += 1),
      async (ms) => waits.push(ms),
    );
    assert.deepEqual([result, calls, retries], ['ok', 3, 2]);
    assert.ok(waits.every((ms) => ms >= 1000 && ms <= 1200));
  });

  it('when the retries are spent, then the last error is thrown', async () => {
    const failing = () => Promise.reject(new ImgsenseProblemError(problem(503, 'overloaded'), 0));
    await assert.rejects(
      withRetries(
        failing,
        2,
        () => {},
        async () => {},
      ),
      ImgsenseProblemError,
    );
  });
});

describe('the journal', () => {
  it('when a path has several lines, then the last wins, unsettled answers are not skipped, and a torn line is ignored', async () => {
    const file = join(work, 'out.jsonl');
    const line = (path: string, extra: object) => JSON.stringify({ path, size: 1, sha256: 'x', ...extra });
    writeFileSync(
      file,
      [
        line('a.jpg', { caption: { alt_text: 'A cat.' } }),
        line('b.jpg', { error: 'fetch failed' }),
        line('c.jpg', { problem: problem(415, 'unsupported_media_type') }),
        line('d.jpg', { caption: { alt_text: 'A dog.' } }),
        line('d.jpg', { problem: problem(503, 'overloaded') }),
        line('e.jpg', { problem: problem(401, 'unauthorized') }),
        '{"path":"f.jp',
      ].join('\n'),
    );
    assert.deepEqual([...(await readSettled(file)).entries()].sort(), [
      ['a.jpg', 1],
      ['c.jpg', 1],
    ]);
    assert.equal(isSettled({ path: 'g', size: 1, sha256: 'x', problem: problem(422, 'corrupt_image') }), true);
  });
});

describe('findImages', () => {
  it('when a folder has images, other files and a dot-folder, then only the images outside it, sorted, with / paths', async () => {
    const root = join(work, 'tree');
    for (const path of ['b/x.JPG', 'a.png', 'b/c/d.heic', 'notes.txt', '.cache/e.jpg', 'f.jpeg.bak']) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), '');
    }
    assert.deepEqual(
      (await findImages(root)).map((image) => image.path),
      ['a.png', 'b/c/d.heic', 'b/x.JPG'],
    );
  });
});
