/**
 * Issue 25, finding 4, measured: 128 batches of 16 URL parts aimed at an allow-listed silent port (16 addresses x 8
 * each) while a normal client posts a photo every 250 ms for 15 s. Prints the normal client's answers by status.
 * `nice -n 15 npx tsx test/attack/measure-url-lockout.ts` (about 30 s).
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { fixture } from '../support/service.js';

const silent = createServer(() => {}); // accepts, never answers
await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
const port = (silent.address() as { port: number }).port;
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  MODERATION_ENABLED: 'false',
  DETECTOR_ENABLED: 'false',
  IMAGE_URL_ALLOWED_HOSTS: `127.0.0.1,127.0.0.1:${port}`,
  IMAGE_URL_ALLOW_HTTP: 'true',
  IMAGE_URL_ALLOW_PRIVATE: 'true',
});
const service = await startServer(config, pino({ level: 'silent' }));
const { port: servicePort } = new URL(service.url);

/** One batch of 16 URL parts to the silent port, from `localAddress`; resolves with its status (0: no answer). */
function urlBatch(localAddress: string): Promise<number> {
  const boundary = 'b0undary';
  const parts = Array.from(
    { length: 16 },
    (_, i) => `--${boundary}\r\nContent-Disposition: form-data; name="url"\r\n\r\nhttp://127.0.0.1:${port}/${i}.jpg\r\n`,
  );
  const body = `${parts.join('')}--${boundary}--\r\n`;
  return new Promise((resolve) => {
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': Buffer.byteLength(body) };
    const req = request(
      { host: '127.0.0.1', port: servicePort, path: '/caption/batch', method: 'POST', localAddress, headers, agent: false },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', () => resolve(0));
    req.end(body);
  });
}

const batches = Array.from({ length: 128 }, (_, i) => urlBatch(`127.0.0.${2 + (i % 16)}`));
const statuses: Record<string, number> = {};
const until = performance.now() + 15_000;
while (performance.now() < until) {
  const response = await fetch(`${service.url}/caption`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg' },
    body: fixture('cat.jpg'),
  });
  await response.arrayBuffer();
  statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const batchStatuses: Record<string, number> = {};
for (const status of await Promise.all(batches)) batchStatuses[status] = (batchStatuses[status] ?? 0) + 1;
console.log(JSON.stringify({ normalClient: statuses, urlBatches: batchStatuses }));
await service.drain();
silent.close();
process.exit(0);
