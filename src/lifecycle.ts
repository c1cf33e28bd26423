/** The service's life: starting (loading, warming) -> ready -> draining. */
import type { ModelRuntimeStatus } from './runtime/inference-pool.js';

export type LifecycleState = 'starting' | 'ready' | 'draining';

export interface Lifecycle {
  state: LifecycleState;
  models(): ModelRuntimeStatus[];
}

/** A mutable lifecycle record shared by the server and the readiness endpoint. */
export function createLifecycle(): Lifecycle & { setModels(source: () => ModelRuntimeStatus[]): void } {
  let source: () => ModelRuntimeStatus[] = () => [];
  return {
    state: 'starting',
    models: () => source(),
    setModels(next) {
      source = next;
    },
  };
}
