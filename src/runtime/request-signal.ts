/** The cancellation signal and deadline of the request a piece of work serves, carried through its awaits without being passed along. */
import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestScope {
  readonly signal: AbortSignal;
  /** When the request's deadline passes, in `Date.now()` milliseconds; undefined: none. */
  readonly deadline?: number;
}

const current = new AsyncLocalStorage<RequestScope>();

/** Run `work` (and everything it awaits or queues) as part of the request that `signal` ends, due by `deadline` (Date.now() ms). */
export function withRequestSignal<T>(signal: AbortSignal, work: () => T, deadline?: number): T {
  return current.run({ signal, ...(deadline === undefined ? {} : { deadline }) }, work);
}

/** The signal of the request being served here; undefined outside a request (warm-up, benches). */
export function requestSignal(): AbortSignal | undefined {
  return current.getStore()?.signal;
}

/** Milliseconds until the request's deadline (0 once past); undefined outside a request or without a deadline. */
export function requestTimeLeftMs(now = Date.now()): number | undefined {
  const deadline = current.getStore()?.deadline;
  return deadline === undefined ? undefined : Math.max(0, deadline - now);
}

/** Throw the request's reason when it is already over (deadline passed, client gone): do not start work for nobody. */
export function throwIfRequestOver(): void {
  requestSignal()?.throwIfAborted();
}
