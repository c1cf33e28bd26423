import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { createStartingApp } from '../../src/http/app.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { DOCS_HTML } from '../../src/http/routes/docs.js';
import { createLifecycle } from '../../src/lifecycle.js';
import { projectPath } from '../../src/project-root.js';

/** A raw GET (fetch would decompress and hide Content-Encoding), with a chosen Host. */
function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the contract served: /openapi.yaml, /openapi.json and /docs (starting app over HTTP)', () => {
  let server: Server;
  let base: string;
  let port: number;
  before(async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    const ctx = {
      config,
      log: pino({ level: 'silent' }),
      metrics: createMetrics(),
      lifecycle: createLifecycle(),
      apiKeys: () => undefined,
    };
    server = createServer(createStartingApp(ctx)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  after(() => server.close());

  it('when /openapi.yaml is asked for, then it is openapi.yaml with the server the request reached', async () => {
    const response = await get(base, '/openapi.yaml', { host: 'imgsense.example:8443', 'x-forwarded-proto': 'https' });
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /^application\/yaml/);
    const served = parse(response.body.toString('utf8'));
    const committed = parse(readFileSync(projectPath('openapi.yaml'), 'utf8'));
    assert.deepEqual(
      served.servers.map((s: { url: string }) => s.url),
      ['https://imgsense.example:8443'],
    );
    assert.deepEqual({ ...served, servers: committed.servers }, committed);
  });

  it('when /openapi.json is asked for, then it is the same document as JSON', async () => {
    const response = await get(base, '/openapi.json');
    const served = JSON.parse(response.body.toString('utf8'));
    assert.deepEqual(served.servers, [{ url: `http://127.0.0.1:${port}`, description: 'This service, as your request reached it.' }]);
    assert.deepEqual(Object.keys(served.paths), Object.keys(parse(readFileSync(projectPath('openapi.yaml'), 'utf8')).paths));
  });

  it('when the Host header is odd, then the spec keeps its own server URL rather than echo it', async () => {
    const served = JSON.parse((await get(base, '/openapi.json', { host: 'a"b<script>' })).body.toString('utf8'));
    assert.equal(served.servers[0].url, 'http://localhost:8080');
  });

  it("when /docs/other/caption is asked for, then it redirects to the page's own route /docs#/other/caption", async () => {
    const response = await get(base, '/docs/other/caption');
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, '/docs#/other/caption');
  });

  it('when /docs is asked for with gzip, then it is sent compressed, names the server reached, and is the same page', async () => {
    assert.ok(existsSync(DOCS_HTML), 'run npm run build:docs (npm test does it first)');
    const zipped = await get(base, '/docs', { 'accept-encoding': 'gzip, br' });
    const plain = await get(base, '/docs', { 'accept-encoding': 'identity' });
    const unasked = await get(base, '/docs');
    const refused = await get(base, '/docs', { 'accept-encoding': 'gzip;q=0, identity' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    for (const response of [plain, unasked, refused]) assert.equal(response.headers['content-encoding'], undefined);
    assert.match(String(zipped.headers.vary), /Accept-Encoding/);
    assert.ok(zipped.body.length < plain.body.length / 3, `${zipped.body.length} bytes gzip vs ${plain.body.length} plain`);
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
    const html = plain.body.toString('utf8');
    assert.ok(html.includes(`"url":"http://127.0.0.1:${port}"`) && !html.includes('localhost:8080'), "the server URL is the request's");
  });
});
