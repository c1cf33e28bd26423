import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, bootStub, fixture } from '../support/service.js';

// Issue 12, item 4: CORS for browser clients, off by default, an allow-list from CORS_ORIGINS.
const APP = 'https://app.example';
let service: RunningServer;

function preflight(origin: string, route = '/caption'): Promise<Response> {
  return fetch(`${service.url}${route}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
}

function caption(origin: string, body = fixture('cat.jpg'), type = 'image/jpeg'): Promise<Response> {
  return fetch(`${service.url}/caption`, { method: 'POST', headers: { origin, 'content-type': type }, body });
}

describe('CORS with an allow-list (the app with stub models)', () => {
  before(async () => {
    service = await bootStub({
      DETECTOR_ENABLED: 'false',
      MODERATION_ENABLED: 'false',
      CORS_ORIGINS: `${APP}, http://localhost:3000`,
      RATE_LIMIT_PER_MINUTE: '100',
    });
  });
  after(() => service.drain());

  it('when an allowed origin sends a preflight, then 204 with its origin, the methods, the headers and a max age', async () => {
    const response = await preflight(APP);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), APP);
    assert.equal(response.headers.get('access-control-allow-methods'), 'GET, POST');
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /Authorization, Content-Type/);
    assert.equal(response.headers.get('access-control-max-age'), '600');
    assert.match(response.headers.get('vary') ?? '', /Origin/);
    assert.equal((await preflight('http://localhost:3000', '/moderate')).status, 204);
  });

  it('when another origin sends a preflight, then no CORS header at all (405 problem+json from the app)', async () => {
    for (const origin of ['https://evil.example', 'https://app.example.evil.example', 'null']) {
      const response = await preflight(origin);
      assert.equal(response.status, 405);
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      assert.equal(response.headers.get('access-control-allow-methods'), null);
      assertMatchesSpec('problem', await response.json());
    }
  });

  it('when an allowed origin posts a photo, then 200 with its origin and the exposed X-Request-ID, Retry-After and RateLimit headers', async () => {
    const response = await caption(APP);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), APP);
    assert.equal(response.headers.get('access-control-expose-headers'), 'X-Request-ID, Retry-After, RateLimit, RateLimit-Policy');
    assert.ok(response.headers.get('ratelimit'));
  });

  it('when an allowed origin gets an error, then the problem carries the CORS headers too, so the browser can read it', async () => {
    const response = await caption(APP, Buffer.from('hello'), 'text/plain');
    assert.equal(response.status, 415);
    assert.equal(response.headers.get('access-control-allow-origin'), APP);
  });

  it('when another origin posts, then it is served without CORS headers (the browser, not the server, withholds the answer)', async () => {
    const response = await caption('https://evil.example');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });
});

describe('CORS is off by default (the app with stub models)', () => {
  before(async () => {
    service = await bootStub({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false' });
  });
  after(() => service.drain());

  it('when CORS_ORIGINS is unset, then a preflight gets 405 and no answer carries CORS headers or Vary: Origin', async () => {
    const response = await preflight(APP);
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const photo = await caption(APP);
    assert.equal(photo.status, 200);
    assert.equal(photo.headers.get('access-control-allow-origin'), null);
    // /caption varies by Accept-Language (the alt-text's language), never by Origin without CORS.
    assert.doesNotMatch(photo.headers.get('vary') ?? '', /origin/i);
    assert.equal(photo.headers.get('ratelimit'), null);
  });
});
