/** The service's life: starting (loading, warming) -> ready -> draining; readiness also needs a live worker per model. */
import type { ModelRuntimeStatus } from './runtime/inference-pool.js';

export type LifecycleState = 'starting' | 'ready' | 'draining';

export interface Lifecycle {
  readonly state: LifecycleState;
  /** Every loaded model's runtime status (empty while starting). */
  models(): ModelRuntimeStatus[];
}

/** The lifecycle record shared by the server and the readiness endpoint; only the server moves it on. */
export function createLifecycle(): Lifecycle & { ready(models: () => ModelRuntimeStatus[]): void; drain(): void } {
  let state: LifecycleState = 'starting';
  let source: () => ModelRuntimeStatus[] = () => [];
  return {
    get state() {
      return state;
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
