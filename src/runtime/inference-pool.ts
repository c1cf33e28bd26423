/** Serves several named model bundles from worker threads, each model behind its own micro-batcher. */
import type { ModelBundle } from '../bundle/load-bundle.js';
import type { ExecutionProvider } from '../config.js';
import { MicroBatcher, QueueFullError, SlotPool, type BatchLimits, type BatchStats } from './micro-batcher.js';
import type { WorkerInit, WorkerModel, WorkerReply } from './inference-worker.js';
import { requestSignal } from './request-signal.js';
import { DEFAULT_RESPAWN, WorkerSupervisor, type RespawnPolicy, type WorkerEvent } from './worker-supervisor.js';

export interface PoolOptions {
  readonly workers: number;
  readonly intraOpThreads: number;
  /** Intra-op threads of the OCR models (text detector and recogniser); intraOpThreads when absent. */
  readonly textIntraOpThreads?: number;
  /** ORT's CPU arena for the models that are not OCR's (OCR never has one): faster allocation, more memory kept. */
  readonly memoryArena?: boolean;
  readonly provider: ExecutionProvider;
  readonly batch: BatchLimits;
  readonly respawn?: RespawnPolicy;
}

/** No worker is alive and none is being started: the request cannot be served until the process is restarted. */
export class NoLiveWorkerError extends Error {
  constructor() {
    super('no inference worker is alive');
    this.name = 'NoLiveWorkerError';
  }
}

export interface PoolHooks {
  onBatch?(model: string, stats: BatchStats): void;
  onInference?(model: string, seconds: number, batchSize: number): void;
  /** A worker died (requests it held failed), a replacement started, or a replacement failed to start. */
  onWorkerEvent?(event: WorkerEvent): void;
}

export interface ModelRuntimeStatus {
  name: string;
  version: string;
  task: string;
  provider: string;
  requested_provider: string;
  fallback_reason?: string;
  warm: boolean;
  /** Workers serving the model now; 0 makes readiness 503. */
  workers_live: number;
}

const isText = (bundle: ModelBundle): boolean => bundle.manifest.task === 'text_detect' || bundle.manifest.task === 'text_recognize';

function workerModel(bundle: ModelBundle, options: PoolOptions): WorkerModel {
  const { manifest } = bundle;
  return {
    name: manifest.name,
    modelPath: bundle.modelPath,
    inputName: manifest.input.name,
    outputName: manifest.output.name,
    height: manifest.input.height,
    width: manifest.input.width,
    dynamicWidth: hasDynamicWidth(bundle),
    // The OCR models' activations are large (a 640 x 640 map, lines 1280 px wide) and run only for images with text:
    // ORT's arena would keep their peak for good (+430 MiB RSS at ready with it, docs/performance.md section 9).
    memoryArena: (options.memoryArena ?? false) && !isText(bundle),
    intraOpThreads: isText(bundle) ? (options.textIntraOpThreads ?? options.intraOpThreads) : options.intraOpThreads,
  };
}

/** A text-line recogniser runs each line at its own width, so its batches hold one line (TextReader sizes them). */
const hasDynamicWidth = (bundle: ModelBundle): boolean => bundle.manifest.input.resize.method === 'text_line';

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
  private readonly statuses = new Map<string, Omit<ModelRuntimeStatus, 'workers_live'>>();
  private readonly slots: SlotPool;
  private readonly supervisor: WorkerSupervisor;

  private constructor(
    private readonly bundles: ModelBundle[],
    private readonly options: PoolOptions,
    hooks: PoolHooks,
  ) {
    this.slots = new SlotPool(options.workers);
    for (const bundle of bundles) {
      const name = bundle.manifest.name;
      const run = (slot: number, items: Uint8Array[]) => this.runOn(slot, name, items, hooks);
      const limits = hasDynamicWidth(bundle) ? { ...options.batch, maxBatchSize: 1 } : options.batch;
      this.batchers.set(name, new MicroBatcher(limits, this.slots, run, (stats) => hooks.onBatch?.(name, stats)));
    }
    const init: WorkerInit = { models: bundles.map((bundle) => workerModel(bundle, options)), provider: options.provider };
    this.supervisor = new WorkerSupervisor(init, this.slots, options.respawn ?? DEFAULT_RESPAWN, (event) => {
      hooks.onWorkerEvent?.(event);
      if (!this.serviceable) for (const batcher of this.batchers.values()) batcher.failQueued(new NoLiveWorkerError());
    });
  }

  /** Start the workers, load every bundle in each, and warm every session before resolving. */
  static async start(bundles: ModelBundle[], options: PoolOptions, hooks: PoolHooks = {}): Promise<InferencePool> {
    const pool = new InferencePool(bundles, options, hooks);
    try {
      const readies = await pool.supervisor.start();
      await pool.warmUp(readies[0]!.providers);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Some worker is alive, or one is being started. */
  private get serviceable(): boolean {
    return this.slots.live > 0 || this.supervisor.restarting;
  }

  private async warmUp(providers: Extract<WorkerReply, { type: 'ready' }>['providers']): Promise<void> {
    for (const bundle of this.bundles) {
      const { name, version, task, input } = bundle.manifest;
      const pixels = input.height * input.width * 3;
      for (let slot = 0; slot < this.options.workers; slot++) {
        for (const count of new Set([1, hasDynamicWidth(bundle) ? 1 : this.options.batch.maxBatchSize])) {
          await this.supervisor.handle(slot).run(name, count, new Uint8Array(pixels * count).fill(128).buffer);
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

  private async runOn(slot: number, model: string, items: Uint8Array[], hooks: PoolHooks): Promise<Float32Array[]> {
    const reply = await this.supervisor.handle(slot).run(model, items.length, packBatch(items));
    hooks.onInference?.(model, reply.inferenceMs / 1000, items.length);
    const all = new Float32Array(reply.output);
    return items.map((_, i) => all.subarray(i * reply.classes, (i + 1) * reply.classes));
  }

  /**
   * Class probabilities for one image already resized to the model's input (uint8 HWC RGB); `origin` tags it in batch
   * stats. Queued work of a request that ends first (deadline, client gone) is dropped (src/runtime/request-signal.ts).
   */
  infer(model: string, pixels: Uint8Array, origin = ''): Promise<Float32Array> {
    const batcher = this.batchers.get(model);
    if (!batcher) return Promise.reject(new Error(`no model named ${model}`));
    if (!this.serviceable) return Promise.reject(new NoLiveWorkerError());
    return batcher.submit(pixels, origin, requestSignal());
  }

  /** One image through several models: queued on every model's batcher, or on none when any queue is full (no orphaned work). */
  inferEach(inputs: readonly { model: string; pixels: Uint8Array }[], origin = ''): Promise<Float32Array[]> {
    const batchers = inputs.map(({ model }) => this.batchers.get(model));
    const missing = inputs.find((_, i) => !batchers[i]);
    if (missing) return Promise.reject(new Error(`no model named ${missing.model}`));
    if (!this.serviceable) return Promise.reject(new NoLiveWorkerError());
    if (batchers.some((batcher) => batcher!.full)) return Promise.reject(new QueueFullError(this.options.batch.queueMax));
    const signal = requestSignal();
    return Promise.all(inputs.map(({ pixels }, i) => batchers[i]!.submit(pixels, origin, signal)));
  }

  /** Queued (not yet dispatched) requests for a model. */
  queueDepth(model: string): number {
    return this.batchers.get(model)?.depth ?? 0;
  }

  /** Per model: version, provider actually used, warm, workers serving it now. */
  status(): ModelRuntimeStatus[] {
    return [...this.statuses.values()].map((status) => ({ ...status, workers_live: this.slots.live }));
  }

  /** Stop every worker and every pending replacement. */
  close(): Promise<void> {
    return this.supervisor.close();
  }
}
