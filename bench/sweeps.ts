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

/** Points over two variables: each pair of values becomes one server environment, labelled by `label`. */
function grid(
  names: readonly [string, string],
  values: readonly (readonly [string, string])[],
  label: (a: string, b: string) => string,
): SweepPoint[] {
  return values.map(([a, b]) => ({ label: label(a, b), env: { [names[0]]: a, [names[1]]: b } }));
}

const count = (n: string, noun: string): string => `${n} ${noun}${n === '1' ? '' : 's'}`;

/** Every sweep, by the name `tsx bench/run-sweep.ts <name>` takes. */
export const SWEEPS: Record<string, Sweep> = {
  threads: {
    name: 'threads',
    question: 'Intra-op threads against inference workers (2 cores).',
    points: grid(
      ['INFERENCE_WORKERS', 'INTRA_OP_THREADS'],
      [
        ['1', '1'],
        ['1', '2'],
        ['2', '1'],
        ['2', '2'],
      ],
      (workers, threads) => `${count(workers, 'worker')} x ${count(threads, 'thread')}`,
    ),
  },
  batch: {
    name: 'batch',
    question: 'Micro-batch size and maximum wait.',
    points: grid(
      ['BATCH_MAX_SIZE', 'BATCH_MAX_WAIT_MS'],
      [
        ['1', '0'],
        ['4', '2'],
        ['8', '2'],
        ['8', '10'],
        ['16', '5'],
      ],
      (size, wait) => `batch ${size}, wait ${wait} ms`,
    ),
  },
  layout: {
    name: 'layout',
    question: 'Inference workers x intra-op threads x micro-batch together, on the classifier path (issue 29).',
    points: [
      ['1', '1', '1'],
      ['1', '1', '4'],
      ['1', '2', '4'],
      ['2', '1', '1'],
      ['2', '1', '4'],
    ].map(([workers, threads, batch]) => ({
      label: `${count(workers!, 'worker')} x ${count(threads!, 'thread')}, batch ${batch}`,
      env: {
        INFERENCE_WORKERS: workers!,
        INTRA_OP_THREADS: threads!,
        BATCH_MAX_SIZE: batch!,
        BATCH_MAX_WAIT_MS: batch === '1' ? '0' : '2',
      },
    })),
  },
  decode: {
    name: 'decode',
    question: 'sharp (libvips) threads per image against the libuv pool that runs decodes.',
    points: grid(
      ['SHARP_CONCURRENCY', 'UV_THREADPOOL_SIZE'],
      [
        ['1', '2'],
        ['1', '4'],
        ['1', '8'],
        ['2', '2'],
        ['2', '4'],
      ],
      (sharp, uv) => `sharp ${sharp}, uv ${uv}`,
    ),
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
