import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Request } from 'express';
import { clientKey } from '../../src/http/client-address.js';
import { createFetchPool } from '../../src/http/fetch-pool.js';

// Issue 25, findings 4 and 5: per-client caps counted raw addresses (an IPv6 /64 was 2^64 clients), and a batch's URL
// parts were fetched 4 at a time inside a processing slot.

const from = (ip: string) => ({ ip, socket: { remoteAddress: ip } }) as unknown as Request;

describe('clientKey', () => {
  it('when two addresses share an IPv6 /64, then they are one client; another /64 is another', () => {
    assert.equal(clientKey(from('2001:db8:1:2::1')), clientKey(from('2001:db8:1:2:ffff:ffff:ffff:fffe')));
    assert.notEqual(clientKey(from('2001:db8:1:2::1')), clientKey(from('2001:db8:1:3::1')));
  });

  it('when the address is IPv4, then each address is its own client', () => {
    assert.equal(clientKey(from('192.0.2.7')), '192.0.2.7');
    assert.notEqual(clientKey(from('192.0.2.7')), clientKey(from('192.0.2.8')));
  });
});

/** A fetch the test finishes by hand, recording when it started. */
function manual(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { run: async () => (log.push(`start ${name}`), await done, name), finish };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the per-client fetch pool', () => {
  it('when a client asks for more fetches than its share, then the rest wait in order while another client goes ahead', async () => {
    const log: string[] = [];
    const pool = createFetchPool(2);
    const a = ['a1', 'a2', 'a3', 'a4'].map((name) => manual(log, name));
    const b = manual(log, 'b1');
    const results = [...a.map((f) => pool.run('A', f.run)), pool.run('B', b.run)];
    await turn();
    assert.deepEqual(log, ['start a1', 'start a2', 'start b1']);
    a[1]!.finish();
    await turn();
    assert.deepEqual(log.slice(3), ['start a3']);
    a[0]!.finish();
    await turn();
    assert.deepEqual(log.slice(4), ['start a4']);
    for (const f of [...a, b]) f.finish();
    assert.deepEqual(await Promise.all(results), ['a1', 'a2', 'a3', 'a4', 'b1']);
  });

  it('when a fetch fails, then its place goes to the next one waiting', async () => {
    const pool = createFetchPool(1);
    const failing = pool.run('A', async () => {
      throw new Error('remote down');
    });
    const next = pool.run('A', async () => 'ok');
    await assert.rejects(failing, /remote down/);
    assert.equal(await next, 'ok');
  });
});
