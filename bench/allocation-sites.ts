/**
 * Where a /caption request's JavaScript garbage comes from: `npx tsx bench/allocation-sites.ts [--requests 200] [--full]`.
 * Captions the bench's photos in process (createCaptioner, the classifier path; --full adds the detector), 4 at a time, under
 * V8's sampling heap profiler with the objects that minor and major GCs collected kept in the samples (`node --heap-prof`
 * keeps only survivors), and prints kB allocated per request by function; a builtin (Array.from, a Map's set, an iterator's
 * next) is charged to the JavaScript function that called it. Typed arrays' and Buffers' backing stores are not on the heap.
 */
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { createCaptioner } from '../src/captioner.js';
import { loadConfig } from '../src/config.js';
import { loadPhotoSet } from './kit/photo-set.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '200' }, full: { type: 'boolean', default: false } } });

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Bytes by allocating function, builtins charged to their nearest JavaScript caller. */
function bySite(node: ProfileNode, caller: string, sites: Map<string, number>): Map<string, number> {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const own = url
    ? `${functionName || '(anonymous)'} ${url.replace(/^.*?\/(src|bench|node_modules)\//, '$1/')}:${lineNumber + 1}:${columnNumber + 1}`
    : undefined;
  const site = own ?? `${functionName || '(native)'} <- ${caller}`;
  if (node.selfSize > 0) sites.set(site, (sites.get(site) ?? 0) + node.selfSize);
  for (const child of node.children) bySite(child, own ?? caller, sites);
  return sites;
}

async function main(): Promise<void> {
  const env = { ...process.env, LOG_LEVEL: 'warn', DETECTOR_ENABLED: String(values.full), FACES_ENABLED: 'false' };
  const captioner = await createCaptioner(loadConfig({ ...env, MODERATION_ENABLED: 'false', OCR_MODE: 'off' }));
  const photos = await loadPhotoSet();
  const requests = Number(values.requests);
  const caption = async (i: number) => captioner.caption(photos[i % photos.length]!.bytes);
  for (let i = 0; i < 4 * photos.length; i += 1) await caption(i);
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  let next = 0;
  const loop = async () => {
    for (let i = next++; i < requests; i = next++) await caption(i);
  };
  await Promise.all(Array.from({ length: 4 }, loop));
  const { profile } = await session.post('HeapProfiler.stopSampling');
  await captioner.close();
  const sites = bySite(profile.head as unknown as ProfileNode, '(root)', new Map());
  const total = [...sites.values()].reduce((a, b) => a + b, 0);
  console.log(`${(total / requests / 1024).toFixed(0)} kB of heap allocated per request (${requests} requests); by site:`);
  for (const [site, bytes] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, 20))
    console.log(`${(bytes / requests / 1024).toFixed(1).padStart(8)} kB  ${site}`);
}

await main();
