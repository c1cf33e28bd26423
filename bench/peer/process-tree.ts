/** A server's whole process tree from /proc (Linux): its pids, CPU seconds and resident memory, and a sampler of peak RSS. */
import { readdirSync, readFileSync } from 'node:fs';
import { processCpuSeconds } from '../kit/cpu-time.js';

function parentOf(pid: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** `root` and every live descendant (uvicorn's workers, multiprocessing's helpers, any child a server spawns). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** User + system CPU seconds of the live tree so far (the sum over its processes, all threads). */
export function treeCpuSeconds(root: number): number {
  return processTree(root)
    .map(processCpuSeconds)
    .filter(Number.isFinite)
    .reduce((a, b) => a + b, 0);
}

function statusKiB(pid: number, field: string): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) : 0;
  } catch {
    return 0;
  }
}

function pssKiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Pss:'));
    return line ? Number(line.split(/\s+/)[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of the tree now, MiB: the sum of VmRSS (shared pages counted once per process) and of Pss (shared pages split). */
export function treeMemoryMiB(root: number): { rss: number; pss: number; processes: number } {
  const pids = processTree(root);
  const sum = (read: (pid: number) => number) => Math.round(pids.reduce((a, pid) => a + read(pid), 0) / 102.4) / 10;
  return { rss: sum((pid) => statusKiB(pid, 'VmRSS')), pss: sum(pssKiB), processes: pids.length };
}

/** Samples every tree's memory on a timer and keeps each one's peak, from start() to stop(). */
export class PeakMemorySampler {
  private readonly peaks = new Map<string, { rss: number; pss: number; processes: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly roots: ReadonlyMap<string, number>,
    private readonly everyMs = 500,
  ) {}

  /** Take one sample of every tree now. */
  sample(): void {
    for (const [label, pid] of this.roots) {
      const now = treeMemoryMiB(pid);
      const peak = this.peaks.get(label) ?? { rss: 0, pss: 0, processes: 0 };
      this.peaks.set(label, {
        rss: Math.max(peak.rss, now.rss),
        pss: Math.max(peak.pss, now.pss),
        processes: Math.max(peak.processes, now.processes),
      });
    }
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  /** Stop sampling; the peak per tree (MiB). */
  stop(): Map<string, { rss: number; pss: number; processes: number }> {
    clearInterval(this.timer);
    this.sample();
    return new Map(this.peaks);
  }
}
