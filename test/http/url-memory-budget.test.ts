import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { bootStub, expectProblem, fixture } from '../support/service.js';

// Issue 25, item 5: admission charged a request by its declared body, so `{"url": ...}` cost 4 MiB however large the
// image it fetched; now each fetched chunk is charged (twice, as an upload) until the answer is sent.
const MB = 1024 * 1024;
let remote: Server;
let origin: string;
let service: RunningServer;

const postUrl = (route: string, url: string, extra: RequestInit = {}) =>
  fetch(`${service.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
    ...extra,
  });

describe('image-URL bytes count against the memory budget (the app with stub models)', () => {
  before(async () => {
    remote = createServer((req, res) => {
      if (req.url === '/large.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.alloc(12 * MB, 0xff));
      else res.writeHead(200, { 'content-type': 'image/jpeg' }).end(fixture('cat.jpg'));
    });
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(remote.address() as AddressInfo).port}`;
    origin = `http://${host}`;
    service = await bootStub({
      DETECTOR_ENABLED: 'false',
      MODERATION_ENABLED: 'false',
      IMAGE_URL_ALLOWED_HOSTS: host,
      IMAGE_URL_ALLOW_HTTP: 'true',
      IMAGE_URL_ALLOW_PRIVATE: 'true',
      MEMORY_BUDGET_BYTES: String(16 * MB),
    });
  });
  after(async () => {
    await service.drain();
    remote.closeAllConnections();
    remote.close();
  });

  it('when a URL names 12 MB (24 MB charged) and the budget is 16 MiB, then 503 overloaded naming the budget', async () => {
    const problem = await expectProblem(await postUrl('/caption', `${origin}/large.jpg`), 503, 'overloaded');
    assert.match(problem.detail, /memory budget \(16 MiB\)/);
  });

  it('when the same is a batch url part, then that part fails with 503 overloaded and the photo beside it is captioned', async () => {
    const form = new FormData();
    form.append('url', `${origin}/large.jpg`);
    form.append('image', new Blob([fixture('cat.jpg')], { type: 'image/jpeg' }), 'cat.jpg');
    const response = await fetch(`${service.url}/caption/batch`, { method: 'POST', body: form });
    const body: any = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.results[0].problem?.code ?? body.results[0].code, 'overloaded', JSON.stringify(body.results[0]));
    assert.ok(body.results[1].alt_text, JSON.stringify(body.results[1]));
  });

  it('when a small image is fetched after those, then it is captioned: the charges were released', async () => {
    const response = await postUrl('/caption', `${origin}/cat.jpg`);
    assert.equal(response.status, 200, await response.clone().text());
  });
});
