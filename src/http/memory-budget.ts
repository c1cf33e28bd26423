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

/**
 * What the resident memory at ready grows by without requests in progress: ORT's arenas grow with the largest batch,
 * and the soak held 487-492 MiB against 420 at ready (deploy/helm/imgsense/values.yaml): a quarter.
 */
const RESIDENT_GROWTH = 1.25;
/** The least default budget: a request alone always runs, so this only lets a few small ones share the rest. */
const BUDGET_FLOOR_BYTES = 64 * 1024 * 1024;

/**
 * The container limit less what the process holds at ready (`resident`, the models and runtime: 420-680 MiB with the
 * default models) and its growth, at least 64 MiB; 1 GiB when no limit is set. Half the limit was used before: with
 * every default model ready at about 680 MiB, the chart's 1 GiB limit would have been exceeded at a full budget.
 */
export function defaultMemoryBudget(limit = containerMemoryLimit(), resident = process.memoryUsage.rss()): number {
  if (limit === undefined) return FALLBACK_BUDGET_BYTES;
  return Math.max(BUDGET_FLOOR_BYTES, Math.floor(limit - RESIDENT_GROWTH * resident));
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
