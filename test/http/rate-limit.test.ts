import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, bootStub, fixture } from '../support/service.js';

// Issue 12, item 3: RATE_LIMIT_PER_MINUTE per API key, or per client address without keys.
const LIMIT = 3;
let service: RunningServer;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POST cat.jpg to `route` from `localAddress` (node:http, since fetch cannot choose the source address). */
function post(route: string, { localAddress = '127.0.0.1', key }: { localAddress?: string; key?: string } = {}): Promise<Answer> {
  const body = fixture('cat.jpg');
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'image/jpeg', 'content-length': body.length };
    if (key) headers.authorization = `Bearer ${key}`;
    const req = request(`${service.url}${route}`, { method: 'POST', localAddress, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function assertRateLimited(answer: Answer): void {
  assert.equal(answer.status, 429, answer.body);
  assert.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8');
  const problem = JSON.parse(answer.body);
  assertMatchesSpec('problem', problem);
  assert.equal(problem.code, 'rate_limited');
  const retryAfter = Number(answer.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${answer.headers['retry-after']}`);
  assert.match(String(answer.headers.ratelimit), new RegExp(`^"${LIMIT}-per-minute"; r=0; t=\\d+$`));
  assert.equal(answer.headers.connection, 'close');
}

describe('rate limits per client address without keys (the app with stub models)', () => {
  before(async () => {
    service = await bootStub({ DETECTOR_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  });
  after(() => service.drain());

  it(`when an address sends ${LIMIT} photos, then each gets 200 with the draft-8 RateLimit and RateLimit-Policy headers counting down`, async () => {
    for (let remaining = LIMIT - 1; remaining >= 0; remaining -= 1) {
      const answer = await post('/caption', { localAddress: '127.0.0.2' });
      assert.equal(answer.status, 200, answer.body);
      assert.match(String(answer.headers.ratelimit), new RegExp(`^"${LIMIT}-per-minute"; r=${remaining}; t=\\d+$`));
      assert.match(String(answer.headers['ratelimit-policy']), new RegExp(`^"${LIMIT}-per-minute"; q=${LIMIT}; w=60; pk=:[^:]+:$`));
    }
  });

  it('when the same address sends one more, then 429 rate_limited problem+json with Retry-After, on /caption and on /moderate', async () => {
    assertRateLimited(await post('/caption', { localAddress: '127.0.0.2' }));
    // One quota for both routes.
    assertRateLimited(await post('/moderate', { localAddress: '127.0.0.2' }));
  });

  it('when another address sends a photo, or the limited one asks /healthz and /readyz, then they are not limited', async () => {
    assert.equal((await post('/caption', { localAddress: '127.0.0.3' })).status, 200);
    for (let i = 0; i < 2 * LIMIT; i += 1) assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
    const ready = await fetch(`${service.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(ready.headers.get('ratelimit'), null);
  });
});

describe('rate limits per API key (the app with stub models)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'imgsense-rate-'));
  const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
  before(async () => {
    writeFileSync(path.join(dir, 'keys'), `alice ${sha256('alice-key')}\nbob ${sha256('bob-key')}\n`);
    service = await bootStub({
      DETECTOR_ENABLED: 'false',
      MODERATION_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      API_KEYS_FILE: path.join(dir, 'keys'),
    });
  });
  after(async () => {
    await service.drain();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when one key spends its quota from two addresses, then it is limited while another key from the same address is not', async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      assert.equal((await post('/caption', { key: 'alice-key', localAddress: `127.0.0.${2 + (i % 2)}` })).status, 200);
    }
    assertRateLimited(await post('/caption', { key: 'alice-key', localAddress: '127.0.0.4' }));
    assert.equal((await post('/caption', { key: 'bob-key', localAddress: '127.0.0.2' })).status, 200);
  });

  it('when the key is missing, then 401 comes first and spends no quota', async () => {
    assert.equal((await post('/caption')).status, 401);
    assert.equal((await post('/caption', { key: 'bob-key' })).status, 200);
  });
});
