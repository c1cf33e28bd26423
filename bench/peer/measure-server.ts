/** One server of the peer comparison measured the same way as the others: vegeta load, tree CPU, sequential latency. */
import { join } from 'node:path';
import { coresMeter, reapedChildrenCpuSeconds } from '../kit/cpu-time.js';
import { percentile } from '../kit/percentiles.js';
import type { Photo } from '../kit/photo-set.js';
import { timedPost } from '../kit/post-photo.js';
import type { TargetServer } from '../kit/target-server.js';
import { attack, ms, report, writeTargets } from '../kit/vegeta.js';
import { treeCpuSeconds } from './process-tree.js';

/** Closed-loop saturation: 2xx per second and per CPU-second of the server's whole process tree. */
export interface SaturationPoint {
  readonly rps: number;
  readonly ok: number;
  readonly cpuSeconds: number;
  readonly requestsPerCpuSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cores: { server: number; loadGenerator: number };
}

/** Open-model latency at one offered arrival rate. */
export interface RatePoint {
  readonly fraction: number;
  readonly offeredRps: number;
  readonly achievedRps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly success: number;
}

/** A started server with its photo targets written, measured as often as asked. */
export class MeasuredServer {
  private runs = 0;

  private constructor(
    readonly label: string,
    readonly target: TargetServer,
    private readonly targetsFile: string,
    private readonly workDir: string,
  ) {}

  /** Write the targets (the photo set as raw bodies to /caption) for `target`. */
  static async prepare(label: string, target: TargetServer, photos: readonly Photo[], workDir: string): Promise<MeasuredServer> {
    const targetsFile = join(workDir, `targets-${label.replaceAll(' ', '-')}.jsonl`);
    await writeTargets(targetsFile, `${target.baseUrl}/caption`, photos);
    return new MeasuredServer(label, target, targetsFile, workDir);
  }

  private file(): string {
    this.runs += 1;
    return join(this.workDir, `${this.label.replaceAll(' ', '-')}-${this.runs}.bin`);
  }

  /** vegeta with `concurrency` workers as fast as they go for `seconds`; CPU of the server's tree over the attack. */
  async saturate(concurrency: number, seconds: number): Promise<SaturationPoint> {
    const file = this.file();
    const pid = this.target.pid!;
    const cpu0 = treeCpuSeconds(pid);
    const [serverCores, loadGeneratorCores] = [coresMeter(() => treeCpuSeconds(pid)), coresMeter(reapedChildrenCpuSeconds)];
    await attack({ targetsFile: this.targetsFile, outputFile: file, rate: 0, seconds, maxWorkers: concurrency });
    const cores = { server: serverCores(), loadGenerator: loadGeneratorCores() };
    const cpuSeconds = treeCpuSeconds(pid) - cpu0;
    const r = await report([file]);
    const ok = Math.round(r.requests * r.success);
    return {
      rps: r.throughput,
      ok,
      cpuSeconds,
      requestsPerCpuSecond: ok / cpuSeconds,
      p50Ms: ms(r.latencies['50th']),
      p99Ms: ms(r.latencies['99th']),
      cores,
    };
  }

  /** Constant arrival rate for `seconds` (open model): achieved rate and latency percentiles. */
  async atRate(fraction: number, offeredRps: number, seconds: number): Promise<RatePoint> {
    const file = this.file();
    await attack({ targetsFile: this.targetsFile, outputFile: file, rate: offeredRps, seconds });
    const r = await report([file]);
    return {
      fraction,
      offeredRps,
      achievedRps: r.throughput,
      p50Ms: ms(r.latencies['50th']),
      p99Ms: ms(r.latencies['99th']),
      success: r.success,
    };
  }

  /** Concurrency 1: `perPhoto` passes over the photos, one request at a time; p50 and p90 in ms. */
  async sequential(photos: readonly Photo[], perPhoto: number): Promise<{ p50Ms: number; p90Ms: number; requests: number }> {
    const latencies: number[] = [];
    for (let i = 0; i < perPhoto; i += 1)
      for (const photo of photos) latencies.push(await timedPost(this.target.baseUrl, '/caption', photo));
    const round1 = (v: number) => Math.round(v * 10) / 10;
    return { p50Ms: round1(percentile(latencies, 50)), p90Ms: round1(percentile(latencies, 90)), requests: latencies.length };
  }
}
