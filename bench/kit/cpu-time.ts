/** CPU seconds from /proc (Linux): of any process, and of this process's finished children (e.g. a vegeta run). */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

function statFields(pid: number | 'self'): number[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
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
