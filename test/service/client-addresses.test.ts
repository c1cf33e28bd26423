import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { boot, fixture } from '../support/service.js';

// Issue 25, findings 5-7: per-client caps by IPv6 /64, X-Forwarded-For only from TRUSTED_PROXIES, failed keys rate
// limited before the key check, and a batch charged per image.
let service: RunningServer;
const dir = mkdtempSync(path.join(tmpdir(), 'imgsense-clients-'));
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

/** POST cat.jpg to /caption from `localAddress`, with a key and an X-Forwarded-For header if given; the status. */
function post({
  localAddress = '127.0.0.1',
  key,
  forwardedFor,
}: {
  localAddress?: string;
  key?: string;
  forwardedFor?: string;
}): Promise<number> {
  const body = fixture('cat.jpg');
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'image/jpeg', 'content-length': body.length };
    if (key) headers.authorization = `Bearer ${key}`;
    if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
    const req = request(`${service.url}/caption`, { method: 'POST', localAddress, headers, agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POST a batch of `images` copies of cat.jpg with alice's key; the status. */
async function batch(images: number): Promise<number> {
  const form = new FormData();
  for (let i = 0; i < images; i += 1) form.append('image', new Blob([fixture('cat.jpg')], { type: 'image/jpeg' }), 'cat.jpg');
  const response = await fetch(`${service.url}/caption/batch`, {
    method: 'POST',
    headers: { authorization: 'Bearer alice-key' },
    body: form,
  });
  await response.arrayBuffer();
  return response.status;
}

describe('client addresses, failed keys and batch charges (real server, real model)', () => {
  before(async () => {
    writeFileSync(path.join(dir, 'keys'), `alice ${sha256('alice-key')}\nbob ${sha256('bob-key')}\n`);
    service = await boot({
      DETECTOR_ENABLED: 'false',
      MODERATION_ENABLED: 'false',
      OCR_MODE: 'off',
      API_KEYS_FILE: path.join(dir, 'keys'),
      AUTH_FAILURES_PER_MINUTE: '3',
      RATE_LIMIT_PER_MINUTE: '6',
      TRUSTED_PROXIES: '127.0.0.1',
    });
  });
  after(async () => {
    await service.drain();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when an address fails 3 keys, then its 4th request is 429 before its key is looked at, even a valid one; others are not', async () => {
    for (let i = 0; i < 3; i += 1) assert.equal(await post({ localAddress: '127.0.0.2', key: `guess-${i}` }), 401);
    assert.equal(await post({ localAddress: '127.0.0.2', key: 'bob-key' }), 429);
    assert.equal(await post({ localAddress: '127.0.0.3', key: 'bob-key' }), 200);
  });

  it('when a trusted proxy forwards clients of one IPv6 /64, then they share one failure budget', async () => {
    for (let i = 0; i < 3; i += 1) assert.equal(await post({ forwardedFor: `2001:db8:5:6::${i + 1}`, key: 'wrong' }), 401);
    assert.equal(await post({ forwardedFor: '2001:db8:5:6:ffff::9', key: 'bob-key' }), 429);
    assert.equal(await post({ forwardedFor: '2001:db8:5:7::1', key: 'bob-key' }), 200, 'another /64 is another client');
  });

  it('when an untrusted peer sends X-Forwarded-For, then it is ignored: the peer is the client', async () => {
    for (let i = 0; i < 3; i += 1) assert.equal(await post({ localAddress: '127.0.0.4', forwardedFor: `192.0.2.${i}`, key: 'wrong' }), 401);
    assert.equal(await post({ localAddress: '127.0.0.4', forwardedFor: '192.0.2.99', key: 'bob-key' }), 429);
  });

  it('when a key sends a batch of 4 images, then it has spent 4 of its 6 requests: a batch of 3 more is 429', async () => {
    assert.equal(await batch(4), 200);
    assert.equal(await batch(3), 429);
  });
});
