/**
 * Where a /caption request's CPU goes: `npx tsx bench/profile-request.ts [--full] [--seconds 20] [--in-flight 4] [--perf]`.
 * Starts the compiled server (the classifier path; --full: the default path with the detector) under `node --cpu-prof`, sends
 * the bench's photos with `in-flight` requests at a time, and prints CPU per request: the server's whole tree, each thread
 * group, the self time of every JavaScript thread's profile by group and by function, and with --perf libraries' native share.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledServerEntry } from './peer-compare.js';
import { runClosedLoop } from './kit/closed-loop.js';
import { largest, summariseProfile, type Window } from './kit/cpu-profile.js';
import { processCpuSeconds } from './kit/cpu-time.js';
import { loadPhotoSet } from './kit/photo-set.js';
import { postPhoto } from './kit/post-photo.js';
import { startTarget } from './kit/target-server.js';
import { cpuByGroup, threadCpu } from './kit/thread-cpu.js';

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const FULL = process.argv.includes('--full');
const PERF = process.argv.includes('--perf');
/** --cpu-prof costs the server a profiler thread: --no-profile measures CPU per request alone (e.g. to compare LOG_LEVEL=info and warn). */
const PROFILE = !PERF && !process.argv.includes('--no-profile');
const LOG_LEVEL = process.argv.includes('--log-level') ? process.argv[process.argv.indexOf('--log-level') + 1]! : 'warn';
const SECONDS = argument('--seconds', 20);
const IN_FLIGHT = argument('--in-flight', 4);
const PATH_ENV = {
  LOG_LEVEL,
  DETECTOR_ENABLED: FULL ? 'true' : 'false',
  MODERATION_ENABLED: 'false',
  OCR_MODE: 'off',
  MALLOC_ARENA_MAX: '2',
};

const perRequest = (ms: number, requests: number) => (ms / requests).toFixed(2);

/** `perf record` on the server for the load's duration (native frames by library); resolves with its report by shared object. */
function recordPerf(pid: number, seconds: number, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const perf = spawn('perf', ['record', '-F', '499', '-p', String(pid), '-o', file, '--', 'sleep', String(seconds)], { stdio: 'ignore' });
    perf.once('error', reject);
    perf.once('exit', () =>
      resolve(execFileSync('perf', ['report', '-i', file, '--sort', 'dso', '--stdio', '--percent-limit', '1'], { encoding: 'utf8' })),
    );
  });
}

async function printProfiles(dir: string, requests: number, window: Window): Promise<void> {
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    const { totalMs, byGroup, byFunction } = summariseProfile(join(dir, file), window);
    const busy = totalMs - (byGroup.get('idle') ?? 0);
    console.log(`\n${file}: ${perRequest(busy, requests)} ms per request busy (of ${perRequest(totalMs, requests)} sampled)`);
    for (const [group, ms] of largest(byGroup, 16))
      if (group !== 'idle') console.log(`  ${perRequest(ms, requests).padStart(7)}  ${group}`);
    console.log('  top functions (self):');
    for (const [fn, ms] of largest(byFunction, 16))
      if (!fn.startsWith('(idle)')) console.log(`  ${perRequest(ms, requests).padStart(7)}  ${fn}`);
  }
}

async function main(): Promise<void> {
  process.env.SERVER_ENTRY = compiledServerEntry();
  const dir = await mkdtemp(join(tmpdir(), 'profile-request-'));
  const photos = await loadPhotoSet();
  const server = await startTarget({
    own: true,
    quiet: true,
    env: PATH_ENV,
    nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [],
  });
  const pid = server.pid!;
  const call = async (i: number) => {
    const status = await postPhoto(server.baseUrl, '/caption', photos[i % photos.length]!);
    if (status !== 200) throw new Error(`status ${status}`);
  };
  let requests = 0;
  const window = { fromUs: 0, toUs: 0 };
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  let perfReport: Promise<string> | undefined;
  try {
    await runClosedLoop(IN_FLIGHT, 3, call);
    const [cpu0, threads0] = [processCpuSeconds(pid), threadCpu(pid)];
    if (PERF) perfReport = recordPerf(pid, SECONDS, join(dir, 'perf.data'));
    window.fromUs = nowUs();
    requests = (await runClosedLoop(IN_FLIGHT, SECONDS, call)).completed;
    window.toUs = nowUs();
    const cpuMs = (processCpuSeconds(pid) - cpu0) * 1000;
    console.log(
      `${FULL ? 'default' : 'classifier'} path, LOG_LEVEL=${LOG_LEVEL}, ${IN_FLIGHT} in flight for ${SECONDS} s: ${requests} requests, ${perRequest(cpuMs, requests)} CPU ms per request (whole process)`,
    );
    for (const [group, seconds] of largest(cpuByGroup(pid, threads0, threadCpu(pid)), 8))
      console.log(`  ${perRequest(seconds * 1000, requests).padStart(7)}  ${group}`);
  } finally {
    await server.stop();
  }
  if (perfReport)
    console.log(
      `\nperf, native samples by shared object:\n${(await perfReport)
        .split('\n')
        .filter((l) => /%/.test(l))
        .join('\n')}`,
    );
  else if (PROFILE) await printProfiles(dir, requests, window);
  console.log(`\nprofiles in ${dir}`);
}

main().catch((error: Error) => {
  console.error(`profile-request: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
