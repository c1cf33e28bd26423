/** Bench output: the printed table and the JSON record written to bench/results/. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpResult } from './http-throughput.js';
import type { PipelineResult } from './pipeline-throughput.js';
import type { RawOrtPoint } from './raw-ort.js';

export interface BenchRecord {
  readonly at: string;
  readonly mode: 'quick' | 'full';
  readonly machine: { cpus: number; loadavg: number[]; node: string };
  readonly model: { name: string; version: string; precision: string };
  readonly config: Record<string, unknown>;
  readonly photos: { name: string; mimeType: string; width: number; height: number; bytes: number }[];
  readonly rawOrt: RawOrtPoint[];
  readonly pipeline: PipelineResult;
  readonly http: HttpResult[];
  readonly ratios: Record<string, number>;
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** (c)/(b) and (b)/(a) with (a) taken at the configured batch size and at its best batch size. */
export function headlineRatios(raw: RawOrtPoint[], pipeline: PipelineResult, http: HttpResult[], configuredBatch: number): Record<string, number> {
  const best = Math.max(...raw.map((p) => p.imagesPerSecond));
  const atConfigured = raw.filter((p) => p.batch <= configuredBatch).at(-1)?.imagesPerSecond ?? best;
  const ratios: Record<string, number> = {
    'b/a_best_batch': round(pipeline.imagesPerSecond / best, 3),
    'b/a_configured_batch': round(pipeline.imagesPerSecond / atConfigured, 3),
  };
  for (const h of http) ratios[`c/b${h.route}`] = round(h.saturationRps / pipeline.imagesPerSecond, 3);
  return ratios;
}

/** Human-readable table of one bench run. */
export function printTable(record: BenchRecord): void {
  const lines = [`bench (${record.mode}) ${record.at} — model ${record.model.name} ${record.model.version} (${record.model.precision}), ${record.machine.cpus} cpus, load ${record.machine.loadavg.map((l) => l.toFixed(1)).join(' ')}`];
  lines.push('(a) raw ORT   batch  images/s  ms/batch');
  for (const p of record.rawOrt) lines.push(`              ${String(p.batch).padStart(5)}  ${p.imagesPerSecond.toFixed(1).padStart(8)}  ${p.msPerBatch.toFixed(1).padStart(8)}`);
  const b = record.pipeline;
  lines.push(`(b) pipeline  ${b.imagesPerSecond.toFixed(1)} images/s at concurrency ${b.concurrency}; per image decode+resize ${b.stageMeansMs.decodeResize} ms, queue wait ${b.stageMeansMs.queueWait} ms; inference ${b.stageMeansMs.inferencePerBatch} ms per batch of ${b.stageMeansMs.meanBatch}`);
  for (const h of record.http) {
    lines.push(`(${h.route === '/caption' ? 'c' : 'd'}) HTTP ${h.route}  saturation ${h.saturationRps.toFixed(1)} req/s (success ${(h.saturationSuccess * 100).toFixed(1)}%, p50 ${h.saturationLatencyMs.p50} / p95 ${h.saturationLatencyMs.p95} / p99 ${h.saturationLatencyMs.p99} ms)`);
    lines.push(`      server means (ms): ${Object.entries(h.serverStageMeansMs).map(([k, v]) => `${k} ${v ?? 'n/a'}`).join(', ')}`);
    lines.push('      offered req/s  achieved  p50 ms  p95 ms  p99 ms  success');
    for (const r of h.rates) lines.push(`      ${r.offeredRps.toFixed(1).padStart(13)}  ${r.achievedRps.toFixed(1).padStart(8)}  ${String(r.p50Ms).padStart(6)}  ${String(r.p95Ms).padStart(6)}  ${String(r.p99Ms).padStart(6)}  ${(r.success * 100).toFixed(1)}%`);
  }
  lines.push(`ratios: ${Object.entries(record.ratios).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
  console.log(lines.join('\n'));
}

/** Write the record as JSON under `dir`; returns the file path. */
export async function writeRecord(record: BenchRecord, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `bench-${record.mode}-${record.at.replaceAll(':', '-')}.json`);
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
