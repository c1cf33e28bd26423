/** Measure a route's capacity: closed-loop saturation with vegeta (rate 0, fixed workers) after a short warm-up. */
import { join } from 'node:path';
import { attack, report, type VegetaReport } from '../bench/kit/vegeta.js';

export interface Capacity {
  /** Successful responses per second at saturation. */
  readonly rps: number;
  readonly workers: number;
  readonly seconds: number;
  readonly report: VegetaReport;
}

/** Saturate the targets with `workers` concurrent requests for `seconds`; capacity is the 2xx throughput. */
export async function measureCapacity(targetsFile: string, workDir: string, seconds: number, workers: number): Promise<Capacity> {
  const warm = join(workDir, 'capacity-warmup.bin');
  await attack({ targetsFile, outputFile: warm, rate: 0, seconds: Math.min(3, seconds), maxWorkers: workers });
  const file = join(workDir, `capacity-${workers}.bin`);
  await attack({ targetsFile, outputFile: file, rate: 0, seconds, maxWorkers: workers });
  const summary = await report([file]);
  return { rps: summary.throughput, workers, seconds, report: summary };
}

/** Capacity from CAPACITY_RPS when given (to compare runs at the same rate), else measured now. */
export async function capacityFor(targetsFile: string, workDir: string): Promise<Capacity | { rps: number; given: true }> {
  const given = Number(process.env.CAPACITY_RPS);
  if (Number.isFinite(given) && given > 0) return { rps: given, given: true };
  return measureCapacity(targetsFile, workDir, Number(process.env.CAPACITY_SECONDS ?? 10), Number(process.env.CAPACITY_WORKERS ?? 16));
}
