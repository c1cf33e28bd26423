import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { ServiceError } from '../../src/errors.js';
import { fetchImage, type FetchLimits, type Resolver } from '../../src/http/fetch-image.js';
import { isPublicAddress } from '../../src/http/public-address.js';

let server: Server;
let port: number;

/** A resolver from a fixed table, counting its calls; a name not in it does not resolve. */
function table(entries: Record<string, string[]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (host: string) => {
    calls.push(host);
    const addresses = entries[host];
    if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

function limits(overrides: Partial<FetchLimits>): FetchLimits {
  return { ...loadConfig({}).imageUrl, allowHttp: true, bodyLimitBytes: 1024, timeoutMs: 2000, ...overrides };
}

async function refusal(work: Promise<unknown>, code: string): Promise<ServiceError> {
  const error = await work.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ServiceError, String(error));
  assert.equal(error.code, code, error.message);
  return error;
}

describe('fetchImage', () => {
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hop') return res.writeHead(302, { location: `http://other.test:${port}/x` }).end();
      res.end('bytes');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  const privateNames: [string, string[]][] = [
    ['a private address', ['10.0.0.5']],
    ['the cloud metadata address', ['169.254.169.254']],
    ['loopback as IPv4-mapped IPv6', ['::ffff:127.0.0.1']],
    ['a public and a private address', ['93.184.215.14', '192.168.1.1']],
    ['an IPv6 unique-local address', ['fd00:ec2::254']],
  ];
  for (const [what, addresses] of privateNames) {
    it(`when the allowed name resolves to ${what}, then image_url_address_refused and no connection`, async () => {
      const resolve = table({ 'images.test': addresses });
      await refusal(
        fetchImage('http://images.test/cat.png', limits({ allowedHosts: ['images.test'], resolve })),
        'image_url_address_refused',
      );
    });
  }

  it('when the URL is a private IP literal on the allow-list, then it is refused without a lookup', async () => {
    const resolve = table({});
    await refusal(
      fetchImage('http://169.254.169.254/latest/meta-data', limits({ allowedHosts: ['169.254.169.254'], resolve })),
      'image_url_address_refused',
    );
    await refusal(fetchImage('http://[::1]/x', limits({ allowedHosts: ['[::1]'], resolve })), 'image_url_address_refused');
    assert.deepEqual(resolve.calls, []);
  });

  it('when the name is vetted, then the socket connects to the vetted address, not to a second answer', async () => {
    // pinned.test exists only in this table: a connection that asked the system resolver again would fail.
    const resolve = table({ 'pinned.test': ['127.0.0.1'] });
    const body = await fetchImage(
      `http://pinned.test:${port}/`,
      limits({ allowedHosts: [`pinned.test:${port}`], allowPrivateAddresses: true, resolve }),
    );
    assert.equal(body.toString(), 'bytes');
    assert.deepEqual(resolve.calls, ['pinned.test']);
  });

  it('when a redirect leaves the allow-list, then image_url_not_allowed before its host is resolved', async () => {
    const resolve = table({ 'pinned.test': ['127.0.0.1'] });
    await refusal(
      fetchImage(`http://pinned.test:${port}/hop`, limits({ allowedHosts: [`pinned.test:${port}`], allowPrivateAddresses: true, resolve })),
      'image_url_not_allowed',
    );
    assert.deepEqual(resolve.calls, ['pinned.test']);
  });

  it('when a redirect stays on the allow-list, then its host is resolved and vetted again before it is fetched', async () => {
    const resolve = table({ 'pinned.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'] });
    const body = await fetchImage(
      `http://pinned.test:${port}/hop`,
      limits({ allowedHosts: [`pinned.test:${port}`, `other.test:${port}`], allowPrivateAddresses: true, resolve }),
    );
    assert.equal(body.toString(), 'bytes');
    assert.deepEqual(resolve.calls, ['pinned.test', 'other.test']);
  });

  it('when the scheme is http and http is not allowed, then image_url_not_allowed', async () => {
    await refusal(fetchImage('http://images.test/x', limits({ allowedHosts: ['images.test'], allowHttp: false })), 'image_url_not_allowed');
  });

  it('when the URL has credentials, another scheme or a host off the list, then image_url_not_allowed', async () => {
    const allowed = limits({ allowedHosts: ['images.test', '*.cdn.test'] });
    await refusal(fetchImage('http://user:pw@images.test/x', allowed), 'image_url_not_allowed');
    await refusal(fetchImage('file:///etc/passwd', allowed), 'image_url_not_allowed');
    await refusal(fetchImage('http://images.test.evil.test/x', allowed), 'image_url_not_allowed');
    await refusal(fetchImage('http://cdn.test/x', allowed), 'image_url_not_allowed');
    await refusal(fetchImage('not a url', allowed), 'image_url_invalid');
  });

  it('when the port is not the one listed (none listed: 80 or 443 only), then image_url_not_allowed before any lookup', async () => {
    const resolve = table({ 'pinned.test': ['127.0.0.1'] });
    await refusal(
      fetchImage(`http://pinned.test:${port}/`, limits({ allowedHosts: ['pinned.test'], allowPrivateAddresses: true, resolve })),
      'image_url_not_allowed',
    );
    await refusal(
      fetchImage('http://pinned.test:22/', limits({ allowedHosts: [`pinned.test:${port}`], allowPrivateAddresses: true, resolve })),
      'image_url_not_allowed',
    );
    assert.deepEqual(resolve.calls, []);
  });

  it('when the port refuses the connection, then a generic image_url_fetch_failed that names no socket error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const shut = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const resolve = table({ 'pinned.test': ['127.0.0.1'] });
    const error = await fetchImage(
      `http://pinned.test:${shut}/`,
      limits({ allowedHosts: [`pinned.test:${shut}`], allowPrivateAddresses: true, resolve }),
    ).catch((e: unknown) => e);
    assert.ok(error instanceof ServiceError && error.code === 'image_url_fetch_failed');
    assert.doesNotMatch(error.message, /ECONN|EHOST|ENET|refused/i);
  });

  it('when the remote accepts the connection and stays silent, then image_url_timeout after the connect timeout, not the whole-fetch one', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const at = (silent.address() as AddressInfo).port;
    const resolve = table({ 'pinned.test': ['127.0.0.1'] });
    const options = limits({
      allowedHosts: [`pinned.test:${at}`],
      allowPrivateAddresses: true,
      resolve,
      timeoutMs: 120_000,
      connectTimeoutMs: 200,
    });
    await refusal(fetchImage(`http://pinned.test:${at}/`, options), 'image_url_timeout');
    silent.closeAllConnections();
    silent.close();
  });

  it('when the allowed name does not resolve, then image_url_fetch_failed', async () => {
    await refusal(
      fetchImage('http://a.cdn.test/x', limits({ allowedHosts: ['*.cdn.test'], resolve: table({}) })),
      'image_url_fetch_failed',
    );
  });

  it('when the resolver hangs, then image_url_timeout at the deadline', async () => {
    const hang: Resolver = () => new Promise(() => {});
    await refusal(
      fetchImage('http://images.test/x', limits({ allowedHosts: ['images.test'], resolve: hang, timeoutMs: 200 })),
      'image_url_timeout',
    );
  });
});

describe('isPublicAddress', () => {
  const cases: [string, boolean][] = [
    ['8.8.8.8', true],
    ['2606:4700::1111', true],
    ['::ffff:8.8.8.8', true],
    ['0.0.0.0', false],
    ['10.1.2.3', false],
    ['100.64.0.1', false],
    ['100.100.100.200', false],
    ['127.0.0.1', false],
    ['169.254.169.254', false],
    ['172.31.255.255', false],
    ['192.168.0.1', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::', false],
    ['::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:a9fe:a9fe', false],
    ['fe80::1', false],
    ['fd00:ec2::254', false],
    ['ff02::1', false],
    ['64:ff9b::a00:1', false],
    ['2002:a00:1::', false],
    ['not an address', false],
  ];
  for (const [address, expected] of cases) {
    it(`when the address is ${address}, then ${expected ? 'public' : 'not public'}`, () =>
      assert.equal(isPublicAddress(address), expected));
  }
});
