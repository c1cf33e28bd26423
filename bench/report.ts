/** Bench output: interleaved-round ratios, the printed table and the JSON record written to bench/results/. */
import type { RatePoint, Saturation } from './http-throughput.js';
import { median } from './kit/percentiles.js';
import { resultPath, writeResultFile } from './kit/results-file.js';
import type { PipelineResult } from './pipeline-throughput.js';
import type { RawOrtPoint } from './raw-ort.js';

/** One side-by-side round: (a) at the configured batch size, (b) and (c), measured back to back. */
export interface Round {
  readonly a: RawOrtPoint;
  readonly b: PipelineResult;
  readonly c: Saturation;
}

export interface RouteResult {
  readonly saturation: Saturation;
  readonly rates: RatePoint[];
}

export interface BenchRecord {
  readonly at: string;
  readonly mode: 'quick' | 'full';
  readonly code: { commit: string; dirtyFiles: number };
  readonly machine: { cpus: number; loadavgBefore: number[]; loadavgAfter: number[]; node: string };
  readonly model: { name: string; version: string; precision: string };
  readonly config: Record<string, unknown>;
  readonly photos: { name: string; mimeType: string; width: number; height: number; bytes: number }[];
  readonly rawOrtSweep: RawOrtPoint[];
  readonly rounds: Round[];
  readonly caption: RouteResult;
  readonly moderate?: RouteResult;
  readonly ratios: {
    'c/b': number;
    'b/a': number;
    'b/a_best_sweep_batch': number;
    /** (c)/(b) in images per CPU-second of the serving process: robust when neighbours take cores away. */
    'c/b_per_cpu_second': number;
    perRound: { 'c/b': number; 'b/a': number; 'c/b_per_cpu_second': number }[];
  };
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** Headline ratios: medians of the per-round ratios, plus (b) against the best batch of the sweep. */
export function headlineRatios(rounds: readonly Round[], sweep: readonly RawOrtPoint[]): BenchRecord['ratios'] {
  const perRound = rounds.map((r) => ({
    'c/b': round3(r.c.rps / r.b.imagesPerSecond),
    'b/a': round3(r.b.imagesPerSecond / r.a.imagesPerSecond),
    'c/b_per_cpu_second': round3(r.c.rps / r.c.cpuCores.server / (r.b.imagesPerSecond / r.b.cpuCores)),
  }));
  const best = Math.max(...sweep.map((p) => p.imagesPerSecond));
  return {
    'c/b': round3(median(perRound.map((r) => r['c/b']))),
    'b/a': round3(median(perRound.map((r) => r['b/a']))),
    'b/a_best_sweep_batch': round3(median(rounds.map((r) => r.b.imagesPerSecond)) / best),
    'c/b_per_cpu_second': round3(median(perRound.map((r) => r['c/b_per_cpu_second']))),
    perRound,
  };
}

function routeLines(label: string, result: RouteResult): string[] {
  const s = result.saturation;
  const lines = [
    `(${label}) HTTP ${s.route}  saturation ${s.rps.toFixed(1)} req/s at ${s.concurrency} in flight (success ${(s.success * 100).toFixed(1)}%, p50 ${s.latencyMs.p50} / p95 ${s.latencyMs.p95} / p99 ${s.latencyMs.p99} ms)`,
    `      server /metrics means (ms): ${Object.entries(s.serverStageMeansMs)
      .map(([k, v]) => `${k} ${v ?? 'n/a'}`)
      .join(', ')}`,
    '      offered req/s  achieved  p50 ms  p95 ms  p99 ms  success',
  ];
  for (const r of result.rates)
    lines.push(
      `      ${r.offeredRps.toFixed(1).padStart(13)}  ${r.achievedRps.toFixed(1).padStart(8)}  ${String(r.p50Ms).padStart(6)}  ${String(r.p95Ms).padStart(6)}  ${String(r.p99Ms).padStart(6)}  ${(r.success * 100).toFixed(1)}%`,
    );
  return lines;
}

/** Human-readable table of one bench run. */
export function printTable(record: BenchRecord): void {
  const m = record.machine;
  const lines = [
    `bench (${record.mode}) ${record.at} code ${record.code.commit}${record.code.dirtyFiles ? ` +${record.code.dirtyFiles} changed files` : ''} — ${record.model.name} ${record.model.version} (${record.model.precision}), ${m.cpus} cpus, load ${m.loadavgBefore[0]?.toFixed(1)} -> ${m.loadavgAfter[0]?.toFixed(1)}`,
  ];
  lines.push('(a) raw ORT sweep  batch  images/s  ms/batch');
  for (const p of record.rawOrtSweep)
    lines.push(
      `                   ${String(p.batch).padStart(5)}  ${p.imagesPerSecond.toFixed(1).padStart(8)}  ${p.msPerBatch.toFixed(1).padStart(8)}`,
    );
  lines.push(
    'side-by-side rounds: (a) at batch  (b) pipeline  (c) HTTP /caption   c/b    b/a   | CPU cores (b), (c) server + vegeta | (b) decode ms, queue ms, infer ms/batch, batch',
  );
  record.rounds.forEach((r, i) => {
    const q = record.ratios.perRound[i]!;
    const st = r.b.stageMeansMs;
    lines.push(
      `  round ${i + 1}   ${r.a.imagesPerSecond.toFixed(1).padStart(6)} @${r.a.batch}  ${r.b.imagesPerSecond.toFixed(1).padStart(10)}  ${r.c.rps.toFixed(1).padStart(12)}     ${q['c/b'].toFixed(3)}  ${q['b/a'].toFixed(3)}  | ${r.b.cpuCores}, ${r.c.cpuCores.server} + ${r.c.cpuCores.loadGenerator} | ${st.decode}, ${st.queueWait}, ${st.inferencePerBatch}, ${st.meanBatch}`,
    );
  });
  lines.push(...routeLines('c', record.caption));
  if (record.moderate) lines.push(...routeLines('d', record.moderate));
  const q = record.ratios;
  lines.push(
    `headline (median of rounds): (c)/(b) = ${q['c/b']}, (b)/(a) = ${q['b/a']}; per CPU-second (c)/(b) = ${q['c/b_per_cpu_second']}; (b)/(best batch of sweep) = ${q['b/a_best_sweep_batch']}`,
  );
  console.log(lines.join('\n'));
}

/** Write the record as JSON under `dir`; returns the file path. */
export function writeRecord(record: BenchRecord, dir: string): Promise<string> {
  return writeResultFile(resultPath(dir, `bench-${record.mode}`, record.at), record);
}
