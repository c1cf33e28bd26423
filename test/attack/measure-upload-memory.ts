/**
 * Issue 25, finding 2 (memory), measured: UPLOADS (default 128) concurrent 15 MB JPEG uploads (a real photo re-encoded
 * large) to a server in its own process (MALLOC_ARENA_MAX=2 and the Dockerfile's other malloc settings unless the
 * environment names them); its RSS at ready, its peak (VmHWM), 5 s and 30 s after.
 * `MEMORY_BUDGET_BYTES=... nice -n 15 npx tsx test/attack/measure-upload-memory.ts` (a huge budget is the old behaviour);
 * with `LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2` (Debian's libjemalloc2) the Docker image's allocator.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { fixture } from '../support/service.js';

const UPLOADS = Number(process.env.UPLOADS ?? 128);
const PORT = 20_000 + Math.floor(Math.random() * 20_000);
const env = {
  MALLOC_ARENA_MAX: '2',
  ...process.env,
  PORT: String(PORT),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  MODERATION_ENABLED: 'false',
  DETECTOR_ENABLED: 'false',
  OCR_MODE: 'off',
  MAX_UPLOADS_PER_CLIENT: String(UPLOADS),
  REQUEST_DEADLINE_MS: process.env.REQUEST_DEADLINE_MS ?? '120000', // memory, not the deadline, is measured here
};
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: 'ignore' });
const status = (field: string) =>
  Math.round(
    Number(
      /(\d+) kB/.exec(
        readFileSync(`/proc/${server.pid}/status`, 'utf8')
          .split('\n')
          .find((l) => l.startsWith(field))!,
      )![1],
    ) / 1024,
  );
const base = `http://127.0.0.1:${PORT}`;
for (;;) {
  const ready = await fetch(`${base}/readyz`).then(
    (r) => r.status,
    () => 0,
  );
  if (ready === 200) break;
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const photo = await sharp(fixture('cat.jpg'))
  .resize(6000, 6000, { fit: 'fill' })
  .sharpen({ sigma: 3 })
  .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
  .toBuffer();
const atReady = status('VmRSS:');
const statuses: Record<string, number> = {};
await Promise.all(
  Array.from({ length: UPLOADS }, async () => {
    const outcome = await fetch(`${base}/caption`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: photo }).then(
      async (response) => (await response.arrayBuffer(), String(response.status)),
      (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
    );
    statuses[outcome] = (statuses[outcome] ?? 0) + 1;
  }),
);
await new Promise((resolve) => setTimeout(resolve, 5000));
const after5s = status('VmRSS:');
await new Promise((resolve) => setTimeout(resolve, 25_000));
const malloc = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('MALLOC_')));
console.log(
  JSON.stringify({
    uploads: UPLOADS,
    photoMB: +(photo.length / 1e6).toFixed(1),
    budget: process.env.MEMORY_BUDGET_BYTES ?? 'default',
    malloc,
    statuses,
    readyMiB: atReady,
    peakMiB: status('VmHWM:'),
    after5sMiB: after5s,
    after30sMiB: status('VmRSS:'),
  }),
);
server.kill('SIGTERM');
