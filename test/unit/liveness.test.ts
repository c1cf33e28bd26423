import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createStartingApp } from '../../src/http/app.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createLifecycle } from '../../src/lifecycle.js';
import { assertMatchesSpec } from '../support/service.js';

test('when every inference worker slot is given up, then /healthz turns 503 failed (so Kubernetes restarts the pod); not before', async () => {
  const lifecycle = createLifecycle(2);
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
  const app = createStartingApp({ config, log: pino({ level: 'silent' }), metrics: createMetrics(), lifecycle, apiKeys: () => undefined });
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
  try {
    const answers: [number, unknown][] = [];
    for (let givenUp = 0; givenUp <= 2; givenUp++) {
      if (givenUp > 0) lifecycle.workerGivenUp();
      const response = await fetch(url);
      answers.push([response.status, await response.json()]);
    }
    assert.deepEqual(answers, [
      [200, { status: 'ok' }],
      [200, { status: 'ok' }],
      [503, { status: 'failed' }],
    ]);
    for (const [, body] of answers) assertMatchesSpec('health', body);
  } finally {
    server.close();
  }
});
