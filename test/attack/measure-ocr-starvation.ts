/**
 * Issue 25, finding 3, measured: 8 clients send photos back to back while one client asks for a screenshot's caption
 * (OCR: a slot per text line). Prints the screenshot's latency and the photos served meanwhile.
 * `nice -n 15 npx tsx test/attack/measure-ocr-starvation.ts` (under a minute; the screenshot gets at most 45 s).
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { fixture } from '../support/service.js';

const WAIT_MS = 45_000;
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  MODERATION_ENABLED: 'false',
  REQUEST_DEADLINE_MS: String(WAIT_MS + 10_000),
});
const service = await startServer(config, pino({ level: 'silent' }));
const post = (body: Buffer, type: string, signal?: AbortSignal) =>
  fetch(`${service.url}/caption`, { method: 'POST', headers: { 'content-type': type }, body, ...(signal ? { signal } : {}) });

const alone = performance.now();
await (await post(fixture('text-terminal-03.png'), 'image/png')).arrayBuffer();
const aloneMs = performance.now() - alone;

let stop = false;
let photos = 0;
const client = async () => {
  while (!stop) {
    const response = await post(fixture('cat.jpg'), 'image/jpeg').catch(() => undefined);
    await response?.arrayBuffer();
    if (response?.status === 200) photos += 1;
  }
};
const clients = Array.from({ length: 8 }, client);
await new Promise((resolve) => setTimeout(resolve, 2000));
const before = photos;
const started = performance.now();
const answer = await post(fixture('text-terminal-03.png'), 'image/png', AbortSignal.timeout(WAIT_MS)).then(
  async (response) => `${response.status} ${((await response.json()) as { alt_text?: string }).alt_text?.slice(0, 60) ?? ''}`,
  () => `no answer in ${WAIT_MS / 1000} s`,
);
const underLoadMs = performance.now() - started;
stop = true;
await Promise.all(clients);
console.log(
  JSON.stringify({
    screenshotAloneMs: Math.round(aloneMs),
    underLoad: answer,
    underLoadMs: Math.round(underLoadMs),
    photosMeanwhile: photos - before,
  }),
);
await service.drain();
