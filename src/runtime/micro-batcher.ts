/** Dynamic micro-batching: gather requests up to a batch size or a wait, bounded queue, shared worker slots. */

export interface BatchLimits {
  readonly maxBatchSize: number;
  readonly maxWaitMs: number;
  readonly queueMax: number;
}

/** Thrown synchronously by submit() when the queue is full. */
export class QueueFullError extends Error {
  constructor(readonly queueMax: number) {
    super(`inference queue full (${queueMax})`);
    this.name = 'QueueFullError';
  }
}

/** Free execution slots (one per worker), shared by every model's batcher; a slot whose worker is down is withdrawn. */
export class SlotPool {
  private readonly free: number[];
  private readonly down = new Set<number>();
  private readonly listeners = new Set<() => void>();

  constructor(readonly count: number) {
    this.free = Array.from({ length: count }, (_, i) => i);
  }

  acquire(): number | undefined {
    return this.free.shift();
  }

  release(slot: number): void {
    if (this.down.has(slot)) return; // handed back by restore()
    this.free.push(slot);
    this.notify();
  }

  /** Take a slot out of service until restore(): it is not handed out, and a release of it is ignored. */
  withdraw(slot: number): void {
    this.down.add(slot);
    const at = this.free.indexOf(slot);
    if (at >= 0) this.free.splice(at, 1);
  }

  /** Put a withdrawn slot back in service. */
  restore(slot: number): void {
    if (!this.down.delete(slot)) return;
    this.free.push(slot);
    this.notify();
  }

  /** Slots in service (free or busy). */
  get live(): number {
    return this.count - this.down.size;
  }

  onRelease(listener: () => void): void {
    this.listeners.add(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

interface Pending<I, O> {
  item: I;
  origin: string;
  enqueuedAt: number;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export interface BatchStats {
  size: number;
  queueWaitsMs: number[];
  /** Who submitted each item (e.g. the route), in batch order. */
  origins: string[];
}

export type RunBatch<I, O> = (slot: number, items: I[]) => Promise<O[]>;

/** Collects items and runs them in batches on free slots; one instance per model. */
export class MicroBatcher<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: BatchLimits,
    private readonly slots: SlotPool,
    private readonly run: RunBatch<I, O>,
    private readonly onBatch: (stats: BatchStats) => void = () => {},
  ) {
    slots.onRelease(() => this.pump());
  }

  get depth(): number {
    return this.queue.length;
  }

  /** True when submit() would reject with QueueFullError. */
  get full(): boolean {
    return this.queue.length >= this.limits.queueMax;
  }

  /** Queue one item (`origin` is reported in the batch stats); rejects with QueueFullError at once when the queue is at its bound. */
  submit(item: I, origin = ''): Promise<O> {
    if (this.queue.length >= this.limits.queueMax) return Promise.reject(new QueueFullError(this.limits.queueMax));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, origin, enqueuedAt: performance.now(), resolve, reject });
      this.pump();
    });
  }

  /** Reject everything queued (nothing can serve it any more). */
  failQueued(error: Error): void {
    for (const pending of this.queue.splice(0)) pending.reject(error);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const waited = performance.now() - this.queue[0]!.enqueuedAt;
      if (this.queue.length < this.limits.maxBatchSize && waited < this.limits.maxWaitMs) {
        this.schedule(this.limits.maxWaitMs - waited);
        return;
      }
      const slot = this.slots.acquire();
      if (slot === undefined) return; // resumed by SlotPool.release
      this.dispatch(slot, this.queue.splice(0, this.limits.maxBatchSize));
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(0, Math.ceil(delayMs)));
  }

  private dispatch(slot: number, batch: Pending<I, O>[]): void {
    const now = performance.now();
    this.onBatch({ size: batch.length, queueWaitsMs: batch.map((p) => now - p.enqueuedAt), origins: batch.map((p) => p.origin) });
    this.run(slot, batch.map((p) => p.item))
      .then((outputs) => batch.forEach((p, i) => p.resolve(outputs[i]!)))
      .catch((error: unknown) => batch.forEach((p) => p.reject(error)))
      .finally(() => this.slots.release(slot));
  }
}
