/** CPU seconds of every thread of a process (Linux /proc/<pid>/task), grouped by what the thread is. */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

/** One thread's name (comm) and user + system CPU seconds so far. */
interface ThreadCpu {
  readonly tid: number;
  readonly name: string;
  readonly seconds: number;
}

function readThread(pid: number, tid: number): ThreadCpu | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const fields = text
      .slice(text.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return { tid, name, seconds: (fields[11]! + fields[12]!) / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}

/** Every live thread of `pid` now. */
export function threadCpu(pid: number): ThreadCpu[] {
  const tids = readdirSync(`/proc/${pid}/task`).map(Number);
  return tids.map((tid) => readThread(pid, tid)).filter((t): t is ThreadCpu => t !== undefined);
}

/** The main JavaScript thread (tid = pid) by that name, every other thread by its name and id (Node 20 names them all "node"). */
export function threadGroup(pid: number, thread: ThreadCpu): string {
  return thread.tid === pid ? 'main thread' : `thread ${thread.name} ${thread.tid}`;
}

/** CPU seconds per group used between two snapshots; threads born in between count from zero. */
export function cpuByGroup(pid: number, before: readonly ThreadCpu[], after: readonly ThreadCpu[]): Map<string, number> {
  const start = new Map(before.map((t) => [t.tid, t.seconds]));
  const groups = new Map<string, number>();
  for (const thread of after) {
    const used = thread.seconds - (start.get(thread.tid) ?? 0);
    const group = threadGroup(pid, thread);
    groups.set(group, (groups.get(group) ?? 0) + used);
  }
  return groups;
}
