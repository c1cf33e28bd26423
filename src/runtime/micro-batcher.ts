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

/** Takes a freed slot and answers whether it used it (false: nothing of its own was left to run). */
export type SlotClaim = (slot: number) => boolean;

/**
 * Free execution slots (one per worker), shared by every model's batcher; a slot whose worker is down is withdrawn.
 * Batchers waiting for a slot stand in one line and get freed slots in turn, one batch each, then join the end again:
 * round-robin between models, so a model that needs many slots (OCR, one per text line) is never starved by another.
 */
export class SlotPool {
  private readonly free: number[];
  private readonly down = new Set<number>();
  private readonly line: SlotClaim[] = [];

  constructor(readonly count: number) {
    this.free = Array.from({ length: count }, (_, i) => i);
  }

  /** Hand `claim` a slot: at once when one is free and nobody waits, else when its turn in the line comes. */
  request(claim: SlotClaim): void {
    if (!this.line.includes(claim)) this.line.push(claim);
    this.handOut();
  }

  release(slot: number): void {
    if (this.down.has(slot)) return; // handed back by restore()
    this.free.push(slot);
    this.handOut();
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
    this.handOut();
  }

  /** Slots in service (free or busy). */
  get live(): number {
    return this.count - this.down.size;
  }

  private handOut(): void {
    while (this.free.length > 0 && this.line.length > 0) {
      const claim = this.line.shift()!;
      const slot = this.free.shift()!;
      if (!claim(slot)) this.free.unshift(slot);
    }
  }
}

interface Pending<I, O> {
  item: I;
  origin: string;
  enqueuedAt: number;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
  /** Stops listening to the item's cancellation signal. */
  forget: () => void;
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
  /** Waiting in the slot pool's line. */
  private inLine = false;

  constructor(
    private readonly limits: BatchLimits,
    private readonly slots: SlotPool,
    private readonly run: RunBatch<I, O>,
    private readonly onBatch: (stats: BatchStats) => void = () => {},
  ) {}

  get depth(): number {
    return this.queue.length;
  }

  /** True when submit() would reject with QueueFullError. */
  get full(): boolean {
    return this.queue.length >= this.limits.queueMax;
  }

  /**
   * Queue one item (`origin` is reported in the batch stats); rejects with QueueFullError at once when the queue is at its
   * bound. When `signal` aborts while the item waits (its request is over), the item leaves the queue unrun and rejects
   * with the signal's reason; an item already running finishes.
   */
  submit(item: I, origin = '', signal?: AbortSignal): Promise<O> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.queue.length >= this.limits.queueMax) return Promise.reject(new QueueFullError(this.limits.queueMax));
    return new Promise<O>((resolve, reject) => {
      const pending: Pending<I, O> = { item, origin, enqueuedAt: performance.now(), resolve, reject, forget: () => {} };
      if (signal) {
        const cancel = () => this.cancel(pending, signal.reason);
        signal.addEventListener('abort', cancel, { once: true });
        pending.forget = () => signal.removeEventListener('abort', cancel);
      }
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Reject everything queued (nothing can serve it any more). */
  failQueued(error: Error): void {
    for (const pending of this.queue.splice(0)) pending.forget(), pending.reject(error);
  }

  private cancel(pending: Pending<I, O>, reason: unknown): void {
    const at = this.queue.indexOf(pending);
    if (at < 0) return;
    this.queue.splice(at, 1);
    pending.reject(reason);
  }

  /** Ask for a slot once the head of the queue is ready to go: a full batch, or its oldest item has waited long enough. */
  private pump(): void {
    if (this.queue.length === 0 || this.inLine) return;
    const waited = performance.now() - this.queue[0]!.enqueuedAt;
    if (this.queue.length < this.limits.maxBatchSize && waited < this.limits.maxWaitMs) {
      this.schedule(this.limits.maxWaitMs - waited);
      return;
    }
    this.inLine = true;
    this.slots.request(this.claim);
  }

  /** Our turn for `slot`: run one batch on it, then queue up again for the rest. */
  private readonly claim = (slot: number): boolean => {
    this.inLine = false;
    if (this.queue.length === 0) return false;
    this.dispatch(slot, this.queue.splice(0, this.limits.maxBatchSize));
    this.pump();
    return true;
  };

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, Math.ceil(delayMs)),
    );
  }

  private dispatch(slot: number, batch: Pending<I, O>[]): void {
    const now = performance.now();
    for (const pending of batch) pending.forget();
    this.onBatch({ size: batch.length, queueWaitsMs: batch.map((p) => now - p.enqueuedAt), origins: batch.map((p) => p.origin) });
    this.run(
      slot,
      batch.map((p) => p.item),
    )
      .then((outputs) => batch.forEach((p, i) => p.resolve(outputs[i]!)))
      .catch((error: unknown) => batch.forEach((p) => p.reject(error)))
      .finally(() => this.slots.release(slot));
  }
}
