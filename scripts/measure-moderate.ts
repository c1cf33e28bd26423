/**
 * Added latency of POST /moderate over POST /caption: the same real photos, sequential requests (one in flight),
 * the two routes alternated request by request so that both see the same machine state. Usage:
 *   npx tsx scripts/measure-moderate.ts [--rounds 50] [--warmup 5] [--out file.json]
 * The service runs as its own process from the sources (tsx); env passes through (INTRA_OP_THREADS, MODEL_DIR, ...).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { mean, percentile } from '../bench/kit/percentiles.js';
import { loadPhotoSet } from '../bench/kit/photo-set.js';
import { timedPost } from '../bench/kit/post-photo.js';
import { writeResultFile } from '../bench/kit/results-file.js';
import { startTarget } from '../bench/kit/target-server.js';

const PHOTOS = ['chelsea.png', 'coffee.png', 'rocket.jpg', 'motorcycle_left.png'];
const ROUTES = ['/caption', '/moderate'] as const;

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '50' }, warmup: { type: 'string', default: '5' }, out: { type: 'string' } },
});
const images = await loadPhotoSet(PHOTOS);

function summary(times: number[]) {
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    requests: times.length,
    p50_ms: round(percentile(times, 50)),
    p90_ms: round(percentile(times, 90)),
    p99_ms: round(percentile(times, 99)),
    mean_ms: round(mean(times)),
  };
}

const service = await startTarget({ own: true, quiet: true, env: { LOG_LEVEL: 'info' } });
const times: Record<string, number[]> = { '/caption': [], '/moderate': [] };
const perPhoto: Record<string, Record<string, number[]>> = Object.fromEntries(PHOTOS.map((p) => [p, { '/caption': [], '/moderate': [] }]));
try {
  for (let round = -Number(args.warmup); round < Number(args.rounds); round++) {
    for (const image of images) {
      const order = round % 2 === 0 ? ROUTES : [...ROUTES].reverse();
      for (const route of order) {
        const ms = await timedPost(service.baseUrl, route, image);
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
  added_ms: {
    p50: Math.round((moderate.p50_ms - caption.p50_ms) * 10) / 10,
    p99: Math.round((moderate.p99_ms - caption.p99_ms) * 10) / 10,
  },
  per_photo_p50_ms: Object.fromEntries(
    PHOTOS.map((p) => [p, { caption: summary(perPhoto[p]!['/caption']!).p50_ms, moderate: summary(perPhoto[p]!['/moderate']!).p50_ms }]),
  ),
};
console.log(JSON.stringify(report, null, 2));
if (args.out) await writeResultFile(args.out, report);
