/**
 * Added latency of POST /moderate over POST /caption: the same real photos, sequential requests (one in flight),
 * the two routes alternated request by request so that both see the same machine state. Usage:
 *   npx tsx scripts/measure-moderate.ts [--rounds 50] [--warmup 5] [--out file.json]
 * The service runs as its own process from the sources (tsx); env passes through (INTRA_OP_THREADS, MODEL_DIR, ...).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const PHOTOS = ['chelsea.png', 'coffee.png', 'rocket.jpg', 'motorcycle_left.png'];
const SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data';
const ROUTES = ['/caption', '/moderate'] as const;

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '50' }, warmup: { type: 'string', default: '5' }, out: { type: 'string' } },
});
const images = PHOTOS.map((name) => ({ name, bytes: readFileSync(join(SKIMAGE, name)), type: name.endsWith('.jpg') ? 'image/jpeg' : 'image/png' }));

async function startService(): Promise<{ url: string; stop: () => Promise<void> }> {
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`service exited ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg: string; url: string };
      if (entry.msg === 'ready') resolve(entry.url);
    });
  });
  return { url, stop: async () => (child.kill('SIGTERM'), await exited) };
}

async function timed(url: string, route: string, image: (typeof images)[number]): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': image.type }, body: image.bytes });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${route} ${image.name}: status ${response.status}`);
  return performance.now() - started;
}

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { requests: sorted.length, p50_ms: round(at(0.5)), p90_ms: round(at(0.9)), p99_ms: round(at(0.99)), mean_ms: round(times.reduce((a, b) => a + b) / times.length) };
}

const service = await startService();
const times: Record<string, number[]> = { '/caption': [], '/moderate': [] };
const perPhoto: Record<string, Record<string, number[]>> = Object.fromEntries(PHOTOS.map((p) => [p, { '/caption': [], '/moderate': [] }]));
try {
  for (let round = -Number(args.warmup); round < Number(args.rounds); round++) {
    for (const image of images) {
      const order = round % 2 === 0 ? ROUTES : [...ROUTES].reverse();
      for (const route of order) {
        const ms = await timed(service.url, route, image);
        if (round >= 0) times[route]!.push(ms), perPhoto[image.name]![route]!.push(ms);
      }
    }
  }
} finally {
  await service.stop();
}
const caption = summary(times['/caption']!);
const moderate = summary(times['/moderate']!);
const report = {
  measured_at: new Date().toISOString(),
  machine: { cores: availableParallelism(), node: process.version },
  photos: PHOTOS,
  caption,
  moderate,
  added_ms: { p50: Math.round((moderate.p50_ms - caption.p50_ms) * 10) / 10, p99: Math.round((moderate.p99_ms - caption.p99_ms) * 10) / 10 },
  per_photo_p50_ms: Object.fromEntries(PHOTOS.map((p) => [p, { caption: summary(perPhoto[p]!['/caption']!).p50_ms, moderate: summary(perPhoto[p]!['/moderate']!).p50_ms }])),
};
console.log(JSON.stringify(report, null, 2));
if (args.out) writeFileSync(args.out, JSON.stringify(report, null, 2) + '\n');
