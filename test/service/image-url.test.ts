import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { boot, expectProblem, fixture, postImageTo } from '../support/service.js';
import { photo } from '../support/photos.js';

const CHELSEA = photo('chelsea.png');
const LIMIT = 1024 * 1024;
const TIMEOUT_MS = 1000;

/** The remote image server the tests allow-list: every route is one way a remote can answer. */
function remote(): Server {
  return createServer((req, res) => {
    const port = (req.socket.localPort ?? 0).toString();
    const routes: Record<string, () => void> = {
      '/chelsea.png': () => res.writeHead(200, { 'content-type': 'image/png' }).end(CHELSEA),
      '/note.txt': () => res.writeHead(200, { 'content-type': 'image/png' }).end(fixture('note.txt')),
      '/hop': () => res.writeHead(302, { location: '/chelsea.png' }).end(),
      '/away': () => res.writeHead(302, { location: 'http://not-allowed.invalid/chelsea.png' }).end(),
      '/loop': () => res.writeHead(307, { location: `http://127.0.0.1:${port}/loop` }).end(),
      '/missing': () => res.writeHead(404).end(),
      '/big': () => res.writeHead(200).end(Buffer.alloc(LIMIT + 1)),
      '/big-declared': () => res.writeHead(200, { 'content-length': String(LIMIT * 4) }).write(Buffer.alloc(1024)),
      '/slow': () => setTimeout(() => res.end(CHELSEA), TIMEOUT_MS * 5).unref(),
      '/trickle': () => res.writeHead(200).write(CHELSEA.subarray(0, 1024)),
    };
    (routes[req.url ?? ''] ?? routes['/missing']!)();
  });
}

function postUrl(service: RunningServer, route: string, url: string): Promise<Response> {
  return fetch(`${service.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
  });
}

let origin: string;
let server: Server;

before(async () => {
  server = remote();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

describe('image by URL with the test server allow-listed (IMAGE_URL_ALLOW_PRIVATE for tests)', () => {
  let service: RunningServer;
  before(async () => {
    service = await boot({
      IMAGE_URL_ALLOWED_HOSTS: new URL(origin).host, // the port is on the list too
      IMAGE_URL_ALLOW_HTTP: 'true',
      IMAGE_URL_ALLOW_PRIVATE: 'true',
      IMAGE_URL_TIMEOUT_MS: String(TIMEOUT_MS),
      BODY_LIMIT_BYTES: String(LIMIT),
    });
  });
  after(() => service.drain());

  it('when the URL names an image, then the caption is the one the same bytes get as an upload', async () => {
    const byUrl = await postUrl(service, '/caption', `${origin}/chelsea.png`);
    const uploaded = await postImageTo(service.url, '/caption', CHELSEA, 'image/png');
    assert.equal(byUrl.status, 200);
    assert.deepEqual(await byUrl.json(), await uploaded.json());
  });

  it('when /moderate gets a URL, then it moderates the image as an upload', async () => {
    const byUrl = await postUrl(service, '/moderate', `${origin}/chelsea.png`);
    const uploaded = await postImageTo(service.url, '/moderate', CHELSEA, 'image/png');
    assert.equal(byUrl.status, 200);
    assert.deepEqual(await byUrl.json(), await uploaded.json());
  });

  it('when the URL redirects within the allow-list, then the redirect is followed', async () => {
    const response = await postUrl(service, '/caption', `${origin}/hop`);
    assert.equal(response.status, 200);
    assert.match(((await response.json()) as { alt_text: string }).alt_text, /cat/);
  });

  it('when the host is not on the allow-list, then 400 image_url_not_allowed', async () => {
    await expectProblem(await postUrl(service, '/caption', 'http://localhost/chelsea.png'), 400, 'image_url_not_allowed');
  });

  it('when the URL redirects to a host off the allow-list, then 400 image_url_not_allowed', async () => {
    await expectProblem(await postUrl(service, '/caption', `${origin}/away`), 400, 'image_url_not_allowed');
  });

  it('when the URL redirects in a loop, then 422 image_url_fetch_failed after IMAGE_URL_MAX_REDIRECTS', async () => {
    await expectProblem(await postUrl(service, '/caption', `${origin}/loop`), 422, 'image_url_fetch_failed');
  });

  it('when the remote answers 404, then 422 image_url_fetch_failed', async () => {
    const body = await expectProblem(await postUrl(service, '/caption', `${origin}/missing`), 422, 'image_url_fetch_failed');
    assert.match(body.detail, /404/);
  });

  it('when the image is over BODY_LIMIT_BYTES, declared or not, then 413 body_too_large', async () => {
    await expectProblem(await postUrl(service, '/caption', `${origin}/big`), 413, 'body_too_large');
    await expectProblem(await postUrl(service, '/caption', `${origin}/big-declared`), 413, 'body_too_large');
  });

  it('when the remote is too slow to answer or to send, then 422 image_url_timeout near IMAGE_URL_TIMEOUT_MS', async () => {
    for (const path of ['/slow', '/trickle']) {
      const started = performance.now();
      await expectProblem(await postUrl(service, '/caption', `${origin}${path}`), 422, 'image_url_timeout');
      assert.ok(performance.now() - started < TIMEOUT_MS * 3, `${path} took ${performance.now() - started} ms`);
    }
  });

  it('when the URL answers text labelled image/png, then 415 as for an upload', async () => {
    await expectProblem(await postUrl(service, '/caption', `${origin}/note.txt`), 415, 'unsupported_media_type');
  });

  it('when the body is not {"url": string}, then 400 image_url_invalid', async () => {
    const post = (body: string) =>
      fetch(`${service.url}/caption`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await expectProblem(await post('{"url":'), 400, 'image_url_invalid');
    await expectProblem(await post('{"href":"x"}'), 400, 'image_url_invalid');
    await expectProblem(await post(JSON.stringify({ url: `${origin}/chelsea.png`, extra: 1 })), 400, 'image_url_invalid');
    await expectProblem(await post('{"url":"not a url"}'), 400, 'image_url_invalid');
  });

  it('when a batch mixes url parts and an image part, then each gets its own result in part order', async () => {
    const form = new FormData();
    form.append('url', `${origin}/chelsea.png`);
    form.append('image', new Blob([CHELSEA], { type: 'image/png' }), 'chelsea.png');
    form.append('url', `${origin}/note.txt`);
    const response = await fetch(`${service.url}/caption/batch`, { method: 'POST', body: form });
    const { results } = (await response.json()) as { results: any[] };
    assert.equal(response.status, 200);
    assert.equal(results[0].alt_text, results[1].alt_text);
    assert.equal(results[2].code, 'unsupported_media_type');
  });

  it("when a batch's fetched images exceed BODY_LIMIT_BYTES together, then the part that crosses it is 413, the others are captioned", async () => {
    const form = new FormData();
    for (let i = 0; i < 5; i += 1) form.append('url', `${origin}/chelsea.png`); // 5 x 240 kB over a 1 MiB limit
    const response = await fetch(`${service.url}/caption/batch`, { method: 'POST', body: form });
    const { results } = (await response.json()) as { results: any[] };
    assert.equal(response.status, 200);
    assert.equal(results.filter((result) => typeof result.alt_text === 'string').length, 4);
    assert.deepEqual(
      results.filter((result) => result.code).map((result) => result.code),
      ['body_too_large'],
    );
  });
});
