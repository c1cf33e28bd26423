/** The tuning sweeps as data: each point is the environment of one server run. */

export interface SweepPoint {
  readonly label: string;
  readonly env: Record<string, string>;
}

export interface Sweep {
  readonly name: string;
  readonly question: string;
  readonly points: readonly SweepPoint[];
}

const JEMALLOC = process.env.JEMALLOC_PATH ?? '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';

/** Every sweep, by the name `tsx bench/run-sweep.ts <name>` takes. */
export const SWEEPS: Record<string, Sweep> = {
  threads: {
    name: 'threads',
    question: 'Intra-op threads against inference workers (2 cores).',
    points: [
      { label: '1 worker x 1 thread', env: { INFERENCE_WORKERS: '1', INTRA_OP_THREADS: '1' } },
      { label: '1 worker x 2 threads', env: { INFERENCE_WORKERS: '1', INTRA_OP_THREADS: '2' } },
      { label: '2 workers x 1 thread', env: { INFERENCE_WORKERS: '2', INTRA_OP_THREADS: '1' } },
      { label: '2 workers x 2 threads', env: { INFERENCE_WORKERS: '2', INTRA_OP_THREADS: '2' } },
    ],
  },
  batch: {
    name: 'batch',
    question: 'Micro-batch size and maximum wait.',
    points: [
      { label: 'batch 1, wait 0 ms', env: { BATCH_MAX_SIZE: '1', BATCH_MAX_WAIT_MS: '0' } },
      { label: 'batch 4, wait 2 ms', env: { BATCH_MAX_SIZE: '4', BATCH_MAX_WAIT_MS: '2' } },
      { label: 'batch 8, wait 2 ms', env: { BATCH_MAX_SIZE: '8', BATCH_MAX_WAIT_MS: '2' } },
      { label: 'batch 8, wait 10 ms', env: { BATCH_MAX_SIZE: '8', BATCH_MAX_WAIT_MS: '10' } },
      { label: 'batch 16, wait 5 ms', env: { BATCH_MAX_SIZE: '16', BATCH_MAX_WAIT_MS: '5' } },
    ],
  },
  decode: {
    name: 'decode',
    question: 'sharp (libvips) threads per image against the libuv pool that runs decodes.',
    points: [
      { label: 'sharp 1, uv 2', env: { SHARP_CONCURRENCY: '1', UV_THREADPOOL_SIZE: '2' } },
      { label: 'sharp 1, uv 4', env: { SHARP_CONCURRENCY: '1', UV_THREADPOOL_SIZE: '4' } },
      { label: 'sharp 1, uv 8', env: { SHARP_CONCURRENCY: '1', UV_THREADPOOL_SIZE: '8' } },
      { label: 'sharp 2, uv 2', env: { SHARP_CONCURRENCY: '2', UV_THREADPOOL_SIZE: '2' } },
      { label: 'sharp 2, uv 4', env: { SHARP_CONCURRENCY: '2', UV_THREADPOOL_SIZE: '4' } },
    ],
  },
  allocator: {
    name: 'allocator',
    question: 'glibc malloc, glibc with MALLOC_ARENA_MAX=2, jemalloc (Debian libjemalloc2) by LD_PRELOAD.',
    points: [
      { label: 'glibc', env: {} },
      { label: 'glibc, MALLOC_ARENA_MAX=2', env: { MALLOC_ARENA_MAX: '2' } },
      { label: 'jemalloc', env: { LD_PRELOAD: JEMALLOC } },
      { label: 'jemalloc, sharp 1', env: { LD_PRELOAD: JEMALLOC, SHARP_CONCURRENCY: '1' } },
    ],
  },
};
