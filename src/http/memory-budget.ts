/** Memory budget: requests are admitted by the bytes they will hold, so concurrent work stays under the container's limit. */
import { readFileSync } from 'node:fs';

/** cgroup v2, then v1: where a container's memory limit is read from. */
const CGROUP_LIMIT_FILES = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'];
/** Budget when no container limit is found. */
export const FALLBACK_BUDGET_BYTES = 1024 ** 3;
/**
 * A request's bytes beyond its upload: the decode at working size, resize buffers, model inputs. 128 concurrent 15.8 MB
 * JPEGs took +3.5 GB (issue 25): 27 MB each, 1.7 times the upload; the estimate is 2 times plus this.
 */
const REQUEST_OVERHEAD_BYTES = 4 * 1024 * 1024;

/** The container's memory limit in bytes, or undefined when none is set ("max", or v1's near-2^63 "unlimited"). */
export function containerMemoryLimit(files: readonly string[] = CGROUP_LIMIT_FILES): number | undefined {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch {
      continue;
    }
    const bytes = Number(text);
    return Number.isSafeInteger(bytes) && bytes > 0 && bytes < 2 ** 50 ? bytes : undefined;
  }
  return undefined;
}

/** Half the container limit (the other half holds the models, the runtime and the heap: about 450 MiB at ready), else 1 GiB. */
export function defaultMemoryBudget(limit = containerMemoryLimit()): number {
  return limit === undefined ? FALLBACK_BUDGET_BYTES : Math.floor(limit / 2);
}

/** Bytes a request is expected to hold: its upload twice (the chunks, then the joined buffer decoded) and the overhead. */
export function requestCost(declaredLength: number, bodyLimitBytes: number): number {
  const upload = declaredLength > 0 && declaredLength <= bodyLimitBytes ? declaredLength : bodyLimitBytes;
  return 2 * upload + REQUEST_OVERHEAD_BYTES;
}

/** Reserved bytes of the requests in progress, bounded by `capacity`. */
export interface MemoryBudget {
  readonly capacity: number;
  readonly used: number;
  /** Reserve `bytes` if they fit, or if nothing else is reserved (one request larger than the budget still runs alone). */
  tryReserve(bytes: number): boolean;
  release(bytes: number): void;
}

/** Reserved bytes that make a burst: when the reservations fall back to none after a peak this high, `onBurstOver` runs. */
export const BURST_BYTES = 128 * 1024 * 1024;

/** A budget of `capacity` bytes; `onBurstOver` is called each time it empties after holding `BURST_BYTES` or more. */
export function createMemoryBudget(capacity: number, onBurstOver: () => void = () => {}): MemoryBudget {
  let used = 0;
  let peak = 0;
  return {
    capacity,
    get used() {
      return used;
    },
    tryReserve(bytes) {
      if (used > 0 && used + bytes > capacity) return false;
      used += bytes;
      peak = Math.max(peak, used);
      return true;
    },
    release(bytes) {
      used = Math.max(0, used - bytes);
      if (used > 0 || peak < BURST_BYTES) return;
      peak = 0;
      onBurstOver();
    },
  };
}
