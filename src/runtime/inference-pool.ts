/** Serves several named model bundles from worker threads, each model behind its own micro-batcher. */
import type { ModelBundle } from '../bundle/load-bundle.js';
import type { ExecutionProvider } from '../config.js';
import { MicroBatcher, QueueFullError, SlotPool, type BatchLimits, type BatchStats } from './micro-batcher.js';
import type { WorkerInit, WorkerModel, WorkerReply } from './inference-worker.js';
import { spawnWorker, WorkerHandle } from './worker-handle.js';

export interface PoolOptions {
  readonly workers: number;
  readonly intraOpThreads: number;
  readonly provider: ExecutionProvider;
  readonly batch: BatchLimits;
}

export interface PoolHooks {
  onBatch?(model: string, stats: BatchStats): void;
  onInference?(model: string, seconds: number, batchSize: number): void;
  /** A worker died unexpectedly and was replaced; requests it held failed. */
  onWorkerRestart?(slot: number, error: Error): void;
}

export interface ModelRuntimeStatus {
  name: string;
  version: string;
  task: string;
  provider: string;
  requested_provider: string;
  fallback_reason?: string;
  warm: boolean;
}

function workerModel(bundle: ModelBundle): WorkerModel {
  const { manifest } = bundle;
  return {
    name: manifest.name,
    modelPath: bundle.modelPath,
    inputName: manifest.input.name,
    outputName: manifest.output.name,
    height: manifest.input.height,
    width: manifest.input.width,
  };
}

/** Pack HWC images into one NHWC buffer. */
function packBatch(items: Uint8Array[]): ArrayBuffer {
  const size = items[0]!.byteLength;
  const packed = new Uint8Array(size * items.length);
  items.forEach((item, i) => packed.set(item, i * size));
  return packed.buffer;
}

/** Worker threads holding one session per model, fed by one micro-batcher per model. */
export class InferencePool {
  private readonly batchers = new Map<string, MicroBatcher<Uint8Array, Float32Array>>();
  private readonly statuses = new Map<string, ModelRuntimeStatus>();
  private closed = false;

  private constructor(
    private readonly bundles: ModelBundle[],
    private readonly options: PoolOptions,
    private readonly handles: WorkerHandle[],
    private readonly hooks: PoolHooks,
  ) {
    const slots = new SlotPool(options.workers);
    for (const bundle of bundles) {
      const name = bundle.manifest.name;
      const run = (slot: number, items: Uint8Array[]) => this.runOn(slot, name, items);
      this.batchers.set(name, new MicroBatcher(options.batch, slots, run, (stats) => hooks.onBatch?.(name, stats)));
    }
  }

  /** Start the workers, load every bundle in each, and warm every session before resolving. */
  static async start(bundles: ModelBundle[], options: PoolOptions, hooks: PoolHooks = {}): Promise<InferencePool> {
    const init: WorkerInit = { models: bundles.map(workerModel), provider: options.provider, intraOpThreads: options.intraOpThreads };
    const handles: WorkerHandle[] = [];
    const pool = new InferencePool(bundles, options, handles, hooks);
    for (let slot = 0; slot < options.workers; slot++) handles.push(pool.spawn(init, slot));
    try {
      const readies = await Promise.all(handles.map((handle) => handle.ready));
      await pool.warmUp(readies[0]!.providers);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  private async warmUp(providers: Extract<WorkerReply, { type: 'ready' }>['providers']): Promise<void> {
    for (const bundle of this.bundles) {
      const { name, version, task, input } = bundle.manifest;
      const pixels = input.height * input.width * 3;
      for (const handle of this.handles) {
        for (const count of new Set([1, this.options.batch.maxBatchSize])) {
          await handle.run(name, count, new Uint8Array(pixels * count).fill(128).buffer);
        }
      }
      const used = providers[name]!;
      this.statuses.set(name, {
        name, version, task, provider: used.used, requested_provider: this.options.provider,
        ...(used.fallbackReason ? { fallback_reason: used.fallbackReason } : {}),
        warm: true,
      });
    }
  }

  /** A worker for a slot that replaces itself if it dies while the pool is open (its queued messages wait for it). */
  private spawn(init: WorkerInit, slot: number): WorkerHandle {
    return new WorkerHandle(spawnWorker(init), (error) => {
      if (this.closed) return;
      this.handles[slot] = this.spawn(init, slot);
      this.hooks.onWorkerRestart?.(slot, error);
    });
  }

  private async runOn(slot: number, model: string, items: Uint8Array[]): Promise<Float32Array[]> {
    const reply = await this.handles[slot]!.run(model, items.length, packBatch(items));
    this.hooks.onInference?.(model, reply.inferenceMs / 1000, items.length);
    const all = new Float32Array(reply.output);
    return items.map((_, i) => all.subarray(i * reply.classes, (i + 1) * reply.classes));
  }

  /** Class probabilities for one image already resized to the model's input (uint8 HWC RGB); `origin` tags it in batch stats. */
  infer(model: string, pixels: Uint8Array, origin = ''): Promise<Float32Array> {
    const batcher = this.batchers.get(model);
    if (!batcher) return Promise.reject(new Error(`no model named ${model}`));
    return batcher.submit(pixels, origin);
  }

  /** One image through several models: queued on every model's batcher, or on none when any queue is full (no orphaned work). */
  inferEach(inputs: readonly { model: string; pixels: Uint8Array }[], origin = ''): Promise<Float32Array[]> {
    const batchers = inputs.map(({ model }) => this.batchers.get(model));
    const missing = inputs.find((_, i) => !batchers[i]);
    if (missing) return Promise.reject(new Error(`no model named ${missing.model}`));
    if (batchers.some((batcher) => batcher!.full)) return Promise.reject(new QueueFullError(this.options.batch.queueMax));
    return Promise.all(inputs.map(({ pixels }, i) => batchers[i]!.submit(pixels, origin)));
  }

  /** Queued (not yet dispatched) requests for a model. */
  queueDepth(model: string): number {
    return this.batchers.get(model)?.depth ?? 0;
  }

  /** Per model: version, provider actually used, warm. */
  status(): ModelRuntimeStatus[] {
    return [...this.statuses.values()];
  }

  /** Stop every worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.handles.map((handle) => handle.worker.terminate()));
  }
}
