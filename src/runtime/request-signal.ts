/** The cancellation signal of the request a piece of work serves, carried through its awaits without being passed along. */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<AbortSignal>();

/** Run `work` (and everything it awaits or queues) as part of the request that `signal` ends. */
export function withRequestSignal<T>(signal: AbortSignal, work: () => T): T {
  return current.run(signal, work);
}

/** The signal of the request being served here; undefined outside a request (warm-up, benches). */
export function requestSignal(): AbortSignal | undefined {
  return current.getStore();
}

/** Throw the request's reason when it is already over (deadline passed, client gone): do not start work for nobody. */
export function throwIfRequestOver(): void {
  requestSignal()?.throwIfAborted();
}
