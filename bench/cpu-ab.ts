/**
 * Server CPU per /caption request, two compiled servers side by side in interleaved rounds on the bench's photos:
 *   npx tsx bench/cpu-ab.ts --base tmp/ab-base/src/main.js [--new <entry>] [--full] [--rounds 6] [--requests 96] [--in-flight 4]
 * `--base` is a build of the commit to compare with (`npx tsc -p tsconfig.build.json --outDir tmp/ab-base` there); the
 * other server is a fresh build of this checkout, or `--new` (swap the two to see whether the order of starting matters). Each round sends both the same requests, in alternating order, and reads
 * each server's CPU (all threads, /proc) before and after; the figure is CPU ms per request and the ratio new ÷ base.
 */
import { parseArgs } from 'node:util';
import { processCpuSeconds } from './kit/cpu-time.js';
import { median } from './kit/percentiles.js';
import { loadPhotoSet, type Photo } from './kit/photo-set.js';
import { postPhoto } from './kit/post-photo.js';
import { startTarget, type TargetServer } from './kit/target-server.js';
import { compiledServerEntry } from './peer-compare.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    new: { type: 'string' },
    full: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '6' },
    requests: { type: 'string', default: '96' },
    'in-flight': { type: 'string', default: '4' },
  },
});
if (!values.base) throw new Error('--base <compiled main.js of the commit to compare with> is required');
const ENV = {
  LOG_LEVEL: 'warn',
  DETECTOR_ENABLED: values.full ? 'true' : 'false',
  FACES_ENABLED: 'false',
  MODERATION_ENABLED: 'false',
  OCR_MODE: 'off',
  MALLOC_ARENA_MAX: '2',
};

/** Start one server from a compiled entry. */
async function start(entry: string): Promise<TargetServer> {
  process.env.SERVER_ENTRY = entry;
  return startTarget({ own: true, quiet: true, env: ENV });
}

/** `requests` requests over the photos, `inFlight` at a time; the server's CPU ms per request. */
async function cpuPerRequest(server: TargetServer, photos: readonly Photo[], requests: number, inFlight: number): Promise<number> {
  let next = 0;
  const loop = async () => {
    for (let i = next++; i < requests; i = next++) {
      const status = await postPhoto(server.baseUrl, '/caption', photos[i % photos.length]!);
      if (status !== 200) throw new Error(`status ${status}`);
    }
  };
  const before = processCpuSeconds(server.pid);
  await Promise.all(Array.from({ length: inFlight }, loop));
  return ((processCpuSeconds(server.pid) - before) * 1000) / requests;
}

async function main(): Promise<void> {
  const photos = await loadPhotoSet();
  const newEntry = values.new ?? compiledServerEntry(); // before start() sets SERVER_ENTRY, which compiledServerEntry would return
  const servers = { base: await start(values.base!), new: await start(newEntry) };
  const requests = Number(values.requests);
  const inFlight = Number(values['in-flight']);
  const ms: Record<'base' | 'new', number[]> = { base: [], new: [] };
  try {
    for (const name of ['base', 'new'] as const) await cpuPerRequest(servers[name], photos, photos.length * 2, inFlight);
    for (let round = 0; round < Number(values.rounds); round += 1) {
      const order = round % 2 === 0 ? (['base', 'new'] as const) : (['new', 'base'] as const);
      for (const name of order) ms[name].push(await cpuPerRequest(servers[name], photos, requests, inFlight));
      console.log(`round ${round + 1}: base ${ms.base.at(-1)!.toFixed(2)} ms, new ${ms.new.at(-1)!.toFixed(2)} ms per request`);
    }
  } finally {
    await Promise.all([servers.base.stop(), servers.new.stop()]);
  }
  const ratios = ms.new.map((x, i) => x / ms.base[i]!);
  console.log(
    `${values.full ? 'default' : 'classifier'} path, CPU ms per request (median of ${ratios.length} rounds): ` +
      `base ${median(ms.base).toFixed(2)}, new ${median(ms.new).toFixed(2)}; new ÷ base ${median(ratios).toFixed(3)} ` +
      `(rounds ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`,
  );
}

await main();
