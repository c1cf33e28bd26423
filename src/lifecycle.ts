/** The service's life: starting (loading, warming) -> ready -> draining; readiness also needs a live worker per model. */
import type { ModelRuntimeStatus } from './runtime/inference-pool.js';

export type LifecycleState = 'starting' | 'ready' | 'draining';

export interface Lifecycle {
  readonly state: LifecycleState;
  /** False once every inference worker slot is given up: no worker can be started again, so liveness fails. */
  readonly alive: boolean;
  /** Every loaded model's runtime status (empty while starting). */
  models(): ModelRuntimeStatus[];
}

/** The lifecycle record shared by the server and the readiness endpoint; only the server moves it on. */
export function createLifecycle(
  workerSlots = 1,
): Lifecycle & { ready(models: () => ModelRuntimeStatus[]): void; drain(): void; workerGivenUp(): void } {
  let state: LifecycleState = 'starting';
  let givenUp = 0;
  let source: () => ModelRuntimeStatus[] = () => [];
  return {
    get state() {
      return state;
    },
    get alive() {
      return givenUp < workerSlots;
    },
    workerGivenUp() {
      givenUp += 1;
    },
    models: () => source(),
    ready(models) {
      source = models;
      state = 'ready';
    },
    drain() {
      state = 'draining';
    },
  };
}
