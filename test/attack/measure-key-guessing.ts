/**
 * Issue 25, finding 7, measured: 300 requests with wrong API keys from one address, as fast as answered; prints the
 * statuses and the rate. `nice -n 15 npx tsx test/attack/measure-key-guessing.ts` (a few seconds after the models load).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';

const keys = path.join(mkdtempSync(path.join(tmpdir(), 'imgsense-keys-')), 'keys');
writeFileSync(keys, `alice ${createHash('sha256').update('the-real-key').digest('hex')}\n`);
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  API_KEYS_FILE: keys,
  MODERATION_ENABLED: 'false',
  DETECTOR_ENABLED: 'false',
  OCR_MODE: 'off',
});
const service = await startServer(config, pino({ level: 'silent' }));
const statuses: Record<string, number> = {};
const started = performance.now();
for (let i = 0; i < 300; i += 1) {
  const response = await fetch(`${service.url}/caption`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg', authorization: `Bearer guess-${i}` },
    body: 'x',
  });
  await response.arrayBuffer();
  statuses[response.status] = (statuses[response.status] ?? 0) + 1;
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ statuses, perSecond: Math.round(300 / seconds) }));
await service.drain();
process.exit(0);
