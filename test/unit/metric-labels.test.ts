import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createStartingApp } from '../../src/http/app.js';
import { methodLabel, routeLabel } from '../../src/http/metric-labels.js';
import { createMetrics, METRIC_PREFIX, registerPoolGauges } from '../../src/observability/metrics.js';
import { createLifecycle } from '../../src/lifecycle.js';
import { projectPath } from '../../src/project-root.js';
import { metricValue } from '../support/service.js';

test('when a route matched, then its pattern is the label, never the raw path', () => {
  assert.equal(routeLabel({ path: '/caption' }, '/caption'), '/caption');
  assert.equal(routeLabel({ path: ['/caption', '/moderate'] }, '/moderate'), '/moderate');
  assert.equal(routeLabel({ path: ['/caption', '/moderate'] }, '/Caption/'), '/caption');
  assert.equal(routeLabel({ path: ['/', '/demo.js'] }, '/'), '/');
});

test('when no route matched, then the label is unmatched whatever the path', () => {
  assert.equal(routeLabel(undefined, '/wp-admin/setup.php'), 'unmatched');
  assert.equal(routeLabel({ path: ['/caption'] }, '/elsewhere'), 'unmatched');
});

test('when a client sends an unusual method, then it shares the OTHER label', () => {
  assert.equal(methodLabel('GET'), 'GET');
  assert.equal(methodLabel('PROPFIND'), 'OTHER');
});

test('when /metrics is scraped, then the service metrics carry the imgsense_ prefix and the Node.js defaults their standard names', async () => {
  const metrics = createMetrics();
  registerPoolGauges(metrics, { queueDepth: () => 0, status: () => [{ name: 'm', workers_live: 1 }] });
  const names = (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name);
  for (const standard of [
    'process_resident_memory_bytes',
    'process_cpu_seconds_total',
    'nodejs_eventloop_lag_seconds',
    'nodejs_heap_size_used_bytes',
  ]) {
    assert.ok(names.includes(standard), `${standard} is missing`);
  }
  assert.ok(names.includes('imgsense_http_request_duration_seconds'));
  const other = names.filter((name) => !name.startsWith(METRIC_PREFIX) && !/^(process|nodejs)_/.test(name));
  assert.deepEqual(other, []);
});

test('when /metrics is scraped, then imgsense_build_info says the version of package.json and of Node.js', async () => {
  const text = await createMetrics().registry.metrics();
  const { version } = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string };
  assert.equal(metricValue(text, 'imgsense_build_info', { version, nodejs_version: process.versions.node }), 1);
});

test('when an error is counted, then its label is code', async () => {
  const metrics = createMetrics();
  metrics.errors.inc({ code: 'not_found' });
  assert.equal(metricValue(await metrics.registry.metrics(), 'imgsense_errors_total', { code: 'not_found' }), 1);
});

test('when requests miss every route or use the wrong method, then they are labelled by method, not by path', async () => {
  const metrics = createMetrics();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const app = createStartingApp({
    config,
    log: pino({ level: 'silent' }),
    metrics,
    lifecycle: createLifecycle(),
    apiKeys: () => undefined,
  });
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    for (const path of ['/nope', '/a/b/c']) assert.equal((await fetch(`${base}${path}`)).status, 404);
    assert.equal((await fetch(`${base}/nope`, { method: 'DELETE' })).status, 404);
    assert.equal((await fetch(`${base}/readyz`, { method: 'PUT' })).status, 405);
    const text = await metrics.registry.metrics();
    const count = (labels: Record<string, string>) => metricValue(text, 'imgsense_http_request_duration_seconds_count', labels);
    assert.equal(count({ route: 'unmatched', method: 'GET', status: '404' }), 2);
    assert.equal(count({ route: 'unmatched', method: 'DELETE', status: '404' }), 1);
    assert.equal(count({ route: '/readyz', method: 'PUT', status: '405' }), 1);
    assert.ok(!text.includes('/nope') && !text.includes('/a/b/c'), 'a raw path became a label value');
  } finally {
    server.close();
  }
});
