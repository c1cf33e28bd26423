import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createStartingApp } from '../../src/http/app.js';
import { loadApiKeys } from '../../src/http/api-keys.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { parseTraceparent } from '../../src/http/trace-context.js';
import { createLifecycle } from '../../src/lifecycle.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('parseTraceparent (W3C Trace Context)', () => {
  it('when the header is valid, then its trace id and parent span id are read', () => {
    assert.deepEqual(parseTraceparent(`00-${TRACE}-${PARENT}-01`), { trace_id: TRACE, parent_span_id: PARENT });
  });
  const invalid = [
    undefined,
    '',
    'garbage',
    `00-${TRACE}-${PARENT}`,
    `00-${TRACE.toUpperCase()}-${PARENT}-01`,
    `ff-${TRACE}-${PARENT}-01`,
    `00-${'0'.repeat(32)}-${PARENT}-01`,
    `00-${TRACE}-${'0'.repeat(16)}-01`,
    `00-${TRACE}-${PARENT}-01-extra`,
  ];
  for (const header of invalid) {
    it(`when the header is ${JSON.stringify(header)}, then no trace ids are read`, () => assert.equal(parseTraceparent(header), undefined));
  }
  it('when a later version appends fields, then the ids are still read', () => {
    assert.equal(parseTraceparent(`01-${TRACE}-${PARENT}-01-more`)?.trace_id, TRACE);
  });
});

describe('access log lines (the starting app over HTTP)', () => {
  const lines: Record<string, any>[] = [];
  let server: Server;
  let base: string;
  before(async () => {
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const log = pino({ level: 'debug' }, sink);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DOCS_ENABLED: 'false' });
    const ctx = { config, log, metrics: createMetrics(), lifecycle: createLifecycle(), apiKeys: () => undefined };
    server = createServer(createStartingApp(ctx)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const completed = (path: string) => lines.filter((line) => line.msg === 'request completed' && line.path === path);

  it('when a probe is polled, then its line is at debug, not info', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) await (await fetch(`${base}${path}`)).arrayBuffer();
    for (const path of ['/healthz', '/readyz', '/metrics']) assert.equal(completed(path)[0]?.level, pino.levels.values.debug, path);
  });

  it('when a request is answered, then its line has the client address, bytes each way, the time and the trace ids', async () => {
    const body = 'x'.repeat(1000);
    const response = await fetch(`${base}/caption`, { method: 'POST', body, headers: { traceparent: `00-${TRACE}-${PARENT}-01` } });
    const text = await response.text();
    const line = completed('/caption')[0] ?? assert.fail('no access line for /caption');
    assert.equal(line.level, pino.levels.values.info);
    assert.equal(line.status, 503);
    assert.equal(line.client, '127.0.0.1');
    assert.equal(line.trace_id, TRACE);
    assert.equal(line.parent_span_id, PARENT);
    assert.ok(line.bytes_in > body.length && line.bytes_in < body.length + 400, `bytes_in ${line.bytes_in} counts headers and body`);
    assert.ok(line.bytes_out > text.length, `bytes_out ${line.bytes_out} counts headers and body`);
    assert.ok(line.ms >= 0);
    const rejected = lines.find((l) => l.msg === 'request rejected' && l.reqId === line.reqId);
    assert.equal(rejected?.trace_id, TRACE, 'every line of the request carries the trace id');
  });
});

describe('loadApiKeys', () => {
  it('when API_KEYS_FILE does not exist, then the error names the variable, the path and what the file holds', () => {
    assert.throws(
      () => loadApiKeys('/nonexistent/keys'),
      /^Error: API_KEYS_FILE=\/nonexistent\/keys: no such file; write "<name> <sha-256 hex of the key>"/,
    );
  });
});
