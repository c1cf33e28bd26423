/**
 * What the per-request logging and metrics cost: `npx tsx bench/log-metrics-cost.ts [--requests 20000]`. In one process, in
 * interleaved rounds: the access line as request-id.ts writes it (a child logger with the request id, then one info line with
 * the access fields) through pino to a file, and the metrics one classifier /caption records (request duration, decode duration
 * and image count, the batcher's queue wait and batch size, the inference duration and batch routes), on the service's registry.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createMetrics } from '../src/observability/metrics.js';
import { ownCpuSeconds } from './kit/cpu-time.js';

const at = process.argv.indexOf('--requests');
const REQUESTS = at >= 0 ? Number(process.argv[at + 1]) : 20_000;
const ROUNDS = 3;

/** Microseconds of CPU per call of `work`, over `REQUESTS` calls. */
function cpuPerCall(work: (i: number) => void): number {
  const started = ownCpuSeconds();
  for (let i = 0; i < REQUESTS; i += 1) work(i);
  return ((ownCpuSeconds() - started) * 1e6) / REQUESTS;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'log-cost-'));
  const destination = pino.destination({ dest: join(dir, 'access.log'), sync: true });
  const log = pino({ level: 'info' }, destination);
  const metrics = createMetrics();
  const timings = { receive_ms: 0.4, decode_ms: 12.3, caption_ms: 31.2 };
  const accessLine = (i: number) => {
    const child = log.child({ reqId: `0b6f0d1e-4f0c-4a55-9d55-${String(i).padStart(12, '0')}` });
    child.info(
      {
        method: 'POST',
        path: '/caption',
        status: 200,
        client: '127.0.0.1',
        bytes_in: 112_700,
        bytes_out: 1_480,
        ms: 45.1,
        ...timings,
        user_agent: 'curl/8.5.0',
      },
      'request completed',
    );
  };
  const requestMetrics = (i: number) => {
    metrics.requestDuration.observe({ route: '/caption', method: 'POST', status: '200' }, 0.045 + (i % 7) / 1000);
    metrics.decodeDuration.observe({ format: 'jpeg' }, 0.012);
    metrics.images.inc({ format: 'jpeg' });
    metrics.queueWait.observe({ model: 'classifier' }, 0.002);
    metrics.batchSize.observe({ model: 'classifier' }, 4);
    metrics.batchRoutes.inc({ model: 'classifier', routes: 'caption' });
    metrics.inferenceDuration.observe({ model: 'classifier' }, 0.024);
  };
  try {
    for (let round = 1; round <= ROUNDS; round += 1) {
      const logUs = cpuPerCall(accessLine);
      const metricsUs = cpuPerCall(requestMetrics);
      console.log(
        `round ${round}: access line ${logUs.toFixed(1)} µs CPU, metrics ${metricsUs.toFixed(1)} µs CPU per request (${REQUESTS} requests)`,
      );
    }
  } finally {
    destination.flushSync();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`log-metrics-cost: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
