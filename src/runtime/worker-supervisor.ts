/** Keeps one inference worker per slot alive: a dead worker is replaced with exponential backoff, up to a bound of failed starts. */
import type { WorkerInit, WorkerReply } from './inference-worker.js';
import type { SlotPool } from './micro-batcher.js';
import { spawnWorker, WorkerHandle } from './worker-handle.js';

export interface RespawnPolicy {
  /** Wait before the first replacement; doubled after each failed start. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Consecutive failed starts after which a slot is given up (it stays down; readiness turns 503 when no slot is left). */
  readonly maxFailedStarts: number;
}

export const DEFAULT_RESPAWN: RespawnPolicy = { initialDelayMs: 250, maxDelayMs: 8_000, maxFailedStarts: 6 };

/** How long `close` waits for a worker to finish its run and exit; a run is well under a second, longer is stuck. */
const STOP_BOUND_MS = 10_000;

export type WorkerEvent =
  | { readonly kind: 'died'; readonly slot: number; readonly error: Error }
  | { readonly kind: 'start_failed'; readonly slot: number; readonly error: Error; readonly attempt: number; readonly retryInMs?: number }
  | { readonly kind: 'replaced'; readonly slot: number; readonly attempt: number };

type ReadyReply = Extract<WorkerReply, { type: 'ready' }>;

/** Owns the worker of every slot; withdraws a slot from the SlotPool while its worker is down. */
export class WorkerSupervisor {
  private readonly handles: WorkerHandle[] = [];
  private readonly failedStarts: number[];
  private readonly pending = new Map<number, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly init: WorkerInit,
    private readonly slots: SlotPool,
    private readonly policy: RespawnPolicy,
    private readonly onEvent: (event: WorkerEvent) => void,
  ) {
    this.failedStarts = Array.from({ length: slots.count }, () => 0);
  }

  /** Start every slot's first worker; a failure here is a start-up error and is not retried. */
  start(): Promise<ReadyReply[]> {
    for (let slot = 0; slot < this.slots.count; slot++) this.handles.push(this.spawn(slot));
    return Promise.all(this.handles.map((handle) => handle.ready));
  }

  handle(slot: number): WorkerHandle {
    return this.handles[slot]!;
  }

  /** True while some slot waits for, or is starting, a replacement worker. */
  get restarting(): boolean {
    return this.pending.size > 0;
  }

  /** A worker whose exit after start-up schedules its replacement. */
  private spawn(slot: number): WorkerHandle {
    let started = false;
    const handle = new WorkerHandle(spawnWorker(this.init), (error) => {
      if (this.closed || !started) return; // an exit before ready is handled by the ready rejection
      this.slots.withdraw(slot);
      this.onEvent({ kind: 'died', slot, error });
      this.schedule(slot);
    });
    handle.ready.then(
      () => (started = true),
      () => {},
    );
    return handle;
  }

  /** The wait before the next start after `failures` failed starts in a row. */
  private delayAfter(failures: number): number {
    return Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** failures);
  }

  private schedule(slot: number): void {
    this.pending.set(
      slot,
      setTimeout(() => this.replace(slot), this.delayAfter(this.failedStarts[slot]!)),
    );
  }

  private replace(slot: number): void {
    if (this.closed) return;
    const handle = this.spawn(slot);
    this.handles[slot] = handle;
    const attempt = this.failedStarts[slot]! + 1;
    handle.ready.then(
      () => {
        this.pending.delete(slot);
        this.failedStarts[slot] = 0;
        this.slots.restore(slot);
        this.onEvent({ kind: 'replaced', slot, attempt });
      },
      (error: Error) => {
        void handle.worker.terminate();
        if (this.closed) return;
        this.failedStarts[slot] = attempt;
        const giveUp = attempt >= this.policy.maxFailedStarts;
        if (giveUp) this.pending.delete(slot);
        else this.schedule(slot);
        const retryInMs = giveUp ? undefined : this.delayAfter(attempt);
        this.onEvent({ kind: 'start_failed', slot, error, attempt, ...(retryInMs === undefined ? {} : { retryInMs }) });
      },
    );
  }

  /** Stop every pending replacement, and every worker once its run in progress has replied. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await Promise.all(this.handles.map((handle) => handle.stop(STOP_BOUND_MS)));
  }
}
