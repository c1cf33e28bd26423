/** CPU seconds from /proc (Linux) and node: of any process, of this one, of its finished children; and cores busy from them. */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

function statFields(pid: number | 'self'): number[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text
      .slice(text.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds used so far by process `pid`; NaN where /proc is missing. */
export function processCpuSeconds(pid: number | undefined): number {
  const fields = pid === undefined ? undefined : statFields(pid);
  return fields ? (fields[11]! + fields[12]!) / CLOCK_TICKS : Number.NaN;
}

/** User + system CPU seconds of this process's children that have exited and been waited for. */
export function reapedChildrenCpuSeconds(): number {
  const fields = statFields('self');
  return fields ? (fields[13]! + fields[14]!) / CLOCK_TICKS : Number.NaN;
}

/** User + system CPU seconds of this process so far, all its threads (microsecond resolution, any OS). */
export function ownCpuSeconds(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
}

/** Start a meter on a CPU-seconds reading; calling the result gives the cores it kept busy on average since (0.01). */
export function coresMeter(readCpuSeconds: () => number): () => number {
  const cpu0 = readCpuSeconds();
  const wall0 = performance.now();
  return () => {
    const wallSeconds = (performance.now() - wall0) / 1000;
    return Math.round(((readCpuSeconds() - cpu0) / wallSeconds) * 100) / 100;
  };
}
