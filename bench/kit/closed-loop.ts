/** Closed-loop load inside this process: a fixed number of loops, each starting its next call when the last one ends. */

/** What one closed-loop run achieved. */
export interface ClosedLoopRun {
  /** Calls that finished before the deadline passed. */
  readonly completed: number;
  readonly seconds: number;
}

/** Run `concurrency` loops of `call(i)` (loop k passes i = k, k+1, ...) until `seconds` have passed. */
export async function runClosedLoop(concurrency: number, seconds: number, call: (i: number) => Promise<unknown>): Promise<ClosedLoopRun> {
  let completed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async (offset: number) => {
    for (let i = offset; performance.now() < deadline; i += 1) {
      await call(i);
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, k) => loop(k)));
  return { completed, seconds: (performance.now() - started) / 1000 };
}
