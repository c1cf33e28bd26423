/**
 * `npm run bench -- --peer [--full] [--quick]`: imgsense's /caption against the Python peer (bench/peer/) in both layouts,
 * interleaved, plus the limits; `--full` compares the default /caption (classifier + detector) with the peer running the same detector.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle } from '../src/bundle/load-bundle.js';
import { PERSON_ID } from '../src/caption/describe-scene.js';
import { loadConfig, type Config } from '../src/config.js';
import { slotOf } from '../src/serving.js';
import { codeVersion } from './kit/code-version.js';
import { median } from './kit/percentiles.js';
import { loadPhotoSet, type Photo } from './kit/photo-set.js';
import { resultPath, writeResultFile } from './kit/results-file.js';
import { startTarget, type TargetServer } from './kit/target-server.js';
import { comparisonRows, formatTable, offeredRates, type MetricRow, type RoundMeasurement } from './peer/compare-table.js';
import { measureLimits, type Limits } from './peer/limits.js';
import { MeasuredServer, type RatePoint, type SaturationPoint } from './peer/measure-server.js';
import { installPeer, layoutLabel, peerVersions, startPeer, type PeerLayout } from './peer/peer-server.js';
import { PeakMemorySampler, treeMemoryMiB } from './peer/process-tree.js';

const OURS = 'imgsense';
/**
 * The classifier path only (what the peer does too), with the allocator setting the production image runs with (Dockerfile: MALLOC_ARENA_MAX=2, same
 * throughput and about 44 MiB less RSS); the peer runs as a Python service would, with glibc's defaults.
 */
const CLASSIFIER_ONLY = { DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false', OCR_MODE: 'off', MALLOC_ARENA_MAX: '2' };
/**
 * The product's default /caption model work that the peer also does: the classifier and the detector (OCR reads text only where it finds
 * some). The default's face detector is off here because the peer has none; its own cost is `bench/face-cost.ts`.
 */
const DEFAULT_PATH = { ...CLASSIFIER_ONLY, DETECTOR_ENABLED: 'true', FACES_ENABLED: 'false' };
/** Which path is compared: ours and the peer's settings for it. */
interface ComparedPath {
  readonly name: 'classifier' | 'default';
  readonly ours: Record<string, string>;
  readonly peer: Record<string, string>;
}
const pathOf = (full: boolean): ComparedPath =>
  full
    ? { name: 'default', ours: DEFAULT_PATH, peer: { PEER_DETECTOR_DIR: slotOf(loadConfig({}).serving, 'detector').bundle } }
    : { name: 'classifier', ours: CLASSIFIER_ONLY, peer: {} };
const LAYOUTS: readonly PeerLayout[] = [
  { workers: 1, intraOpThreads: 2 },
  { workers: 2, intraOpThreads: 1 },
];
const FRACTIONS = [0.25, 0.5, 0.75];
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

/**
 * The server as production runs it, compiled JavaScript without tsx's loader (tsx added 44 MiB idle and 70 MiB peak RSS
 * on 2026-12-02 and would count against imgsense): SERVER_ENTRY when given, else a fresh build of src/ under tmp/.
 */
export function compiledServerEntry(): string {
  if (process.env.SERVER_ENTRY) return process.env.SERVER_ENTRY;
  const outDir = 'tmp/bench-peer-server';
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', outDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    return `${outDir}/src/main.js`;
  } catch {
    console.warn('peer: src/ does not compile; imgsense runs through tsx (its RSS then includes the loader)');
    return '--import tsx src/main.ts';
  }
}

const plan = (quick: boolean) =>
  quick
    ? { rounds: 1, warmSeconds: 2, saturationSeconds: 5, perPhoto: 2, rateSeconds: 4, limitSeconds: 3 }
    : { rounds: 3, warmSeconds: 3, saturationSeconds: 12, perPhoto: 5, rateSeconds: 10, limitSeconds: 6 };

interface ServerRound extends RoundMeasurement {
  readonly saturation: SaturationPoint;
  readonly sequential: { p50Ms: number; p90Ms: number; requests: number };
  readonly rates: RatePoint[];
}

interface Answer {
  readonly top1: string;
  readonly objects: readonly string[];
}

/**
 * Each photo's top-1 class id from a server (ours answers `labels` too) and the detector's class ids in the answer: ours
 * states only the confident objects (and counts people), the peer lists every detection after NMS.
 */
async function answers(baseUrl: string, photos: readonly Photo[]): Promise<Answer[]> {
  return Promise.all(
    photos.map(async (photo) => {
      const response = await fetch(`${baseUrl}/caption`, {
        method: 'POST',
        body: photo.bytes,
        headers: { 'Content-Type': photo.mimeType },
      });
      const body = (await response.json()) as { labels?: { id: string }[]; objects?: { id: string }[]; people?: { count: number } };
      const objects = [...(body.objects ?? []).map((o) => o.id), ...((body.people?.count ?? 0) > 0 ? [PERSON_ID] : [])];
      return { top1: body.labels?.[0]?.id ?? `status ${response.status}`, objects };
    }),
  );
}

/** Photos where every server's top-1 is ours, and (the default path) where every object ours states is among each peer's detections. */
function agreement(byServer: Record<string, Answer[]>, photos: readonly Photo[]) {
  const servers = Object.keys(byServer);
  const top1 = photos.filter((_, i) => servers.every((l) => byServer[l]![i]!.top1 === byServer[OURS]![i]!.top1)).length;
  const objects = photos.filter((_, i) =>
    servers.every((l) => byServer[OURS]![i]!.objects.every((id) => byServer[l]![i]!.objects.includes(id))),
  ).length;
  return { top1, objects };
}

async function startAll(path: ComparedPath): Promise<Map<string, TargetServer>> {
  const servers = new Map<string, TargetServer>();
  try {
    servers.set(OURS, await startTarget({ own: true, quiet: true, env: path.ours }));
    for (const layout of LAYOUTS) servers.set(layoutLabel(layout), await startPeer(layout, path.peer));
  } catch (error) {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    throw error;
  }
  return servers;
}

/** One round: saturation and concurrency-1 latency of every server, then every server at the same offered rates; the order rotates. */
async function measureRound(servers: readonly MeasuredServer[], photos: readonly Photo[], round: number, p: ReturnType<typeof plan>) {
  const order = servers.map((_, k) => servers[(k + round) % servers.length]!);
  const first = new Map<MeasuredServer, { saturation: SaturationPoint; sequential: ServerRound['sequential'] }>();
  for (const s of order)
    first.set(s, { saturation: await s.saturate(CONCURRENCY, p.saturationSeconds), sequential: await s.sequential(photos, p.perPhoto) });
  const rates = offeredRates(
    [...first.values()].map((m) => m.saturation.rps),
    FRACTIONS,
  );
  const atRates = new Map<MeasuredServer, RatePoint[]>(servers.map((s) => [s, []]));
  for (const [k, fraction] of FRACTIONS.entries())
    for (const s of order) atRates.get(s)!.push(await s.atRate(fraction, rates[k]!, p.rateSeconds));
  const result: Record<string, ServerRound> = {};
  for (const s of servers) {
    const { saturation, sequential } = first.get(s)!;
    const points = atRates.get(s)!;
    result[s.label] = {
      saturation,
      sequential,
      rates: points,
      saturationRps: saturation.rps,
      requestsPerCpuSecond: saturation.requestsPerCpuSecond,
      p50SequentialMs: sequential.p50Ms,
      p99AtRateMs: Object.fromEntries(points.map((r) => [String(r.fraction), r.p99Ms])),
    };
    const pts = points
      .map((r) => `${r.offeredRps}/s p99 ${r.p99Ms} ms${r.success < 1 ? ` (${(r.success * 100).toFixed(1)}% ok)` : ''}`)
      .join(', ');
    console.log(
      `  ${s.label.padEnd(12)} ${saturation.rps.toFixed(1)} req/s (${saturation.cores.server} cores, ${saturation.requestsPerCpuSecond.toFixed(2)} req/CPU-s), c1 p50 ${sequential.p50Ms} ms; ${pts}`,
    );
  }
  return result;
}

type Memory = ReturnType<typeof treeMemoryMiB>;

/** The started servers: top-1 agreement, idle memory, warm-up, the rounds, and each tree's peak memory over them; stops the servers. */
async function measureServers(servers: Map<string, TargetServer>, photos: readonly Photo[], p: ReturnType<typeof plan>) {
  const workDir = await mkdtemp(join(tmpdir(), 'bench-peer-'));
  const sampler = new PeakMemorySampler(new Map([...servers].map(([label, s]) => [label, s.pid!])));
  const rounds: Record<string, ServerRound>[] = [];
  try {
    const measured = await Promise.all([...servers].map(([label, s]) => MeasuredServer.prepare(label, s, photos, workDir)));
    const byServer = Object.fromEntries(
      await Promise.all(measured.map(async (s) => [s.label, await answers(s.target.baseUrl, photos)] as const)),
    );
    const agree = agreement(byServer, photos);
    console.log(
      `peer: top-1 agrees on ${agree.top1} of ${photos.length} photos; the objects imgsense states are among the peer's detections on ${agree.objects}`,
    );
    const top1 = Object.fromEntries(Object.entries(byServer).map(([label, list]) => [label, list.map((a) => a.top1)]));
    const objects = Object.fromEntries(Object.entries(byServer).map(([label, list]) => [label, list.map((a) => a.objects)]));
    const idle: Record<string, Memory> = Object.fromEntries([...servers].map(([label, s]) => [label, treeMemoryMiB(s.pid!)]));
    sampler.start();
    for (const s of measured) await s.saturate(CONCURRENCY, p.warmSeconds);
    for (let round = 0; round < p.rounds; round += 1) {
      console.log(`round ${round + 1}:`);
      rounds.push(await measureRound(measured, photos, round, p));
    }
    return { top1, objects, idle, rounds, peaks: Object.fromEntries(sampler.stop()) as Record<string, Memory> };
  } finally {
    sampler.stop();
    await Promise.all([...servers.values()].map((s) => s.stop()));
    await rm(workDir, { recursive: true, force: true });
  }
}

const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');

function printSummary(
  rows: MetricRow[],
  idle: Record<string, Memory>,
  peaks: Record<string, Memory>,
  limits: Limits,
  ourSaturation: number,
  config: Config,
) {
  const memory = (l: string, at: Memory) => `${l} ${at.rss} / ${at.pss} (${at.processes})`;
  console.log(`\n${formatTable(rows, OURS)}\n`);
  console.log(
    `memory, MiB (RSS sum / PSS sum, processes): idle ${Object.keys(idle)
      .map((l) => memory(l, idle[l]!))
      .join('; ')}`,
  );
  console.log(
    `  peak ${Object.keys(peaks)
      .map((l) => memory(l, peaks[l]!))
      .join('; ')}`,
  );
  console.log(
    `limits: decode-only ${limits.decode.imagesPerSecond.toFixed(1)} img/s (${limits.decode.settings.inFlight} in flight, ${limits.decode.cores} cores); raw ORT batch ${config.batchMaxSize} ${limits.inference.imagesPerSecond.toFixed(1)} img/s at ${config.intraOpThreads} intra-op thread(s), ${limits.inferenceAllCores.imagesPerSecond.toFixed(1)} at ${availableParallelism()}`,
  );
  console.log(
    `limits: combined 1/(1/decode + 1/ORT) = ${limits.combined.toFixed(1)} img/s (server's threads), ${limits.combinedAllCores.toFixed(1)} (all cores); imgsense saturation ${ourSaturation.toFixed(1)} req/s = ${(ourSaturation / limits.combined).toFixed(2)} / ${(ourSaturation / limits.combinedAllCores).toFixed(2)} of them`,
  );
}

/** Start imgsense and both peer layouts, measure them in interleaved rounds, then the limits; print the table, write the record. */
export async function runPeerComparison(quick: boolean, full = false): Promise<void> {
  const p = plan(quick);
  const path = pathOf(full);
  installPeer();
  const versions = peerVersions();
  const config = loadConfig({ ...process.env, ...path.ours });
  const bundle = await loadBundle(slotOf(config.serving, 'classifier').bundle);
  const photos = await loadPhotoSet();
  process.env.SERVER_ENTRY = compiledServerEntry();
  const loadavgBefore = loadavg();
  console.log(
    `peer: ${quick ? 'quick' : 'full'} run, the ${path.name} path (limits: the classifier's); imgsense intra-op ${config.intraOpThreads} x workers ${config.inferenceWorkers}, batch ${config.batchMaxSize}/${config.batchMaxWaitMs} ms, node ${process.env.SERVER_ENTRY}; python ${versions.python}, onnxruntime ${versions.onnxruntime}, pillow ${versions.pillow}; load average ${loads(loadavgBefore)}`,
  );
  const { top1, objects, idle, rounds, peaks } = await measureServers(await startAll(path), photos, p);
  const limits = await measureLimits(config, bundle, photos, availableParallelism(), p.limitSeconds);
  const loadavgAfter = loadavg();
  const labels = Object.keys(rounds[0]!);
  const rows = comparisonRows(
    Object.fromEntries(labels.map((l) => [l, rounds.map((r) => r[l]!)])),
    Object.fromEntries(labels.map((l) => [l, peaks[l]!.rss])),
    OURS,
  );
  const ourSaturation = median(rounds.map((r) => r[OURS]!.saturationRps));
  printSummary(rows, idle, peaks, limits, ourSaturation, config);
  console.log(`load average: start ${loads(loadavgBefore)}, end ${loads(loadavgAfter)}`);
  const at = new Date().toISOString();
  const record = {
    at,
    mode: quick ? 'quick' : 'full',
    code: codeVersion(),
    plan: { ...p, concurrency: CONCURRENCY, fractions: FRACTIONS },
    machine: { cpus: availableParallelism(), loadavgBefore, loadavgAfter, node: process.version },
    path: path.name,
    imgsense: {
      entry: process.env.SERVER_ENTRY,
      env: path.ours,
      intraOpThreads: config.intraOpThreads,
      inferenceWorkers: config.inferenceWorkers,
      batch: [config.batchMaxSize, config.batchMaxWaitMs],
    },
    peer: { versions, layouts: LAYOUTS, env: path.peer },
    photos: photos.map((ph) => ({ name: ph.name, mimeType: ph.mimeType, width: ph.width, height: ph.height, bytes: ph.bytes.length })),
    top1,
    objects,
    rounds,
    idleMemoryMiB: idle,
    peakMemoryMiB: peaks,
    table: rows,
    limits,
    saturationShareOfLimit: { serverThreads: ourSaturation / limits.combined, allCores: ourSaturation / limits.combinedAllCores },
  };
  console.log(`peer: wrote ${await writeResultFile(resultPath(process.env.BENCH_RESULTS_DIR ?? 'bench/results', 'peer', at), record)}`);
}
