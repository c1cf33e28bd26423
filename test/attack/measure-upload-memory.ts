/**
 * Issue 25, finding 2 (memory), measured: 32 concurrent 15 MB JPEG uploads (a real photo re-encoded large) to a server
 * in its own process (MALLOC_ARENA_MAX=2, as the image runs it); its RSS at ready, its peak (VmHWM) and 5 s after.
 * `MEMORY_BUDGET_BYTES=... nice -n 15 npx tsx test/attack/measure-upload-memory.ts` (a huge budget is the old behaviour).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { fixture } from '../support/service.js';

const UPLOADS = 32;
const PORT = 20_000 + Math.floor(Math.random() * 20_000);
const env = {
  ...process.env, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'silent', MALLOC_ARENA_MAX: '2',
  MODERATION_ENABLED: 'false', DETECTOR_ENABLED: 'false', OCR_MODE: 'off', MAX_UPLOADS_PER_CLIENT: String(UPLOADS),
  REQUEST_DEADLINE_MS: process.env.REQUEST_DEADLINE_MS ?? '120000', // memory, not the deadline, is measured here
};
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: 'ignore' });
const status = (field: string) => Math.round(Number(/(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field))!)![1]) / 1024);
const base = `http://127.0.0.1:${PORT}`;
for (;;) {
  const ready = await fetch(`${base}/readyz`).then((r) => r.status, () => 0);
  if (ready === 200) break;
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const photo = await sharp(fixture('cat.jpg')).resize(6000, 6000, { fit: 'fill' }).sharpen({ sigma: 3 }).jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
const atReady = status('VmRSS:');
const statuses: Record<string, number> = {};
await Promise.all(Array.from({ length: UPLOADS }, async () => {
  const response = await fetch(`${base}/caption`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: photo });
  await response.arrayBuffer();
  statuses[response.status] = (statuses[response.status] ?? 0) + 1;
}));
await new Promise((resolve) => setTimeout(resolve, 5000));
console.log(JSON.stringify({ photoMB: +(photo.length / 1e6).toFixed(1), budget: process.env.MEMORY_BUDGET_BYTES ?? 'default', statuses, readyMiB: atReady, peakMiB: status('VmHWM:'), afterMiB: status('VmRSS:') }));
server.kill('SIGTERM');
