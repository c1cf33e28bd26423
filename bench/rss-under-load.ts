/**
 * RSS of servers started with different settings: 5 s after ready (idle) and the peak over a closed loop of 16 requests in flight.
 *   VARIANTS='[["arena on",{"ORT_MEMORY_ARENA":"true"}],["arena off",{}]]' SECS=15 ROUTES=/caption npx tsx bench/rss-under-load.ts
 */
import { runClosedLoop } from './kit/closed-loop.js';
import { loadPhotoSet } from './kit/photo-set.js';
import { postPhoto } from './kit/post-photo.js';
import { startTarget } from './kit/target-server.js';
import { treeMemoryMiB } from './peer/process-tree.js';

const rssMiB = (pid: number) => treeMemoryMiB(pid).rss;
const photos = await loadPhotoSet();
const variants = JSON.parse(process.env.VARIANTS ?? '[["default",{}]]') as [string, Record<string, string>][];
const routes = (process.env.ROUTES ?? '/caption').split(',');
for (const [label, env] of variants) {
  const target = await startTarget({ own: true, quiet: true, env });
  const pid = target.pid!;
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const idle = rssMiB(pid);
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 200);
  const run = await runClosedLoop(16, Number(process.env.SECS ?? 15), (i) =>
    postPhoto(target.baseUrl, routes[i % routes.length]!, photos[i % photos.length]!),
  );
  clearInterval(sampler);
  console.log(
    `${label.padEnd(30)} idle ${idle.toFixed(0)} MiB  peak ${peak.toFixed(0)} MiB  after ${rssMiB(pid).toFixed(0)} MiB  ${(run.completed / run.seconds).toFixed(1)} req/s`,
  );
  await target.stop();
}
