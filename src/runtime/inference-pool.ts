/** Serves several named model bundles from worker threads, each model (at each input shape) behind its own micro-batcher. */
import type { ModelBundle } from '../bundle/load-bundle.js';
import { MicroBatcher, QueueFullError, SlotPool, type BatchStats } from './micro-batcher.js';
import type { InputShape, WorkerInit, WorkerModel, WorkerReply } from './inference-worker.js';
import { settingsOf, type PoolOptions, type SlotSettings } from './pool-settings.js';
import { requestSignal } from './request-signal.js';
import { DEFAULT_RESPAWN, WorkerSupervisor, type WorkerEvent } from './worker-supervisor.js';

export type { InputShape } from './inference-worker.js';
export type { PoolOptions, SlotSettings } from './pool-settings.js';

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

/** One model in the pool: its bundle, its settings, and a batcher per input shape (made on first use for a dynamic width). */
interface PoolModel {
  readonly bundle: ModelBundle;
  readonly settings: SlotSettings;
  /** The manifest's shape first. */
  readonly shapes: readonly InputShape[];
  readonly batchers: Map<string, MicroBatcher<Uint8Array, Float32Array>>;
}

const shapeKey = ({ width, height }: InputShape): string => `${width}x${height}`;

function workerModel({ bundle: { manifest, modelPath }, settings }: PoolModel): WorkerModel {
  return {
    name: manifest.name,
    modelPath,
    inputName: manifest.input.name,
    outputName: manifest.output.name,
    memoryArena: settings.memoryArena,
    intraOpThreads: settings.intraOpThreads,
  };
}

/** Pack HWC images into one NHWC buffer. */
function packBatch(items: Uint8Array[]): ArrayBuffer {
  const size = items[0]!.byteLength;
  const packed = new Uint8Array(size * items.length);
  items.forEach((item, i) => packed.set(item, i * size));
  return packed.buffer;
}

/** Worker threads holding one session per model, fed by one micro-batcher per model and input shape. */
export class InferencePool {
  private readonly models = new Map<string, PoolModel>();
  private readonly statuses = new Map<string, Omit<ModelRuntimeStatus, 'workers_live'>>();
  private readonly slots: SlotPool;
  private readonly supervisor: WorkerSupervisor;

  private constructor(
    bundles: readonly ModelBundle[],
    private readonly options: PoolOptions,
    private readonly hooks: PoolHooks,
  ) {
    this.slots = new SlotPool(options.workers);
    for (const bundle of bundles) {
      const { width, height } = bundle.manifest.input;
      const settings = settingsOf(bundle, options);
      const shapes = [{ width, height }, ...settings.shapes.filter((s) => s.width !== width || s.height !== height)];
      this.models.set(bundle.manifest.name, { bundle, settings, shapes, batchers: new Map() });
    }
    const init: WorkerInit = { models: [...this.models.values()].map(workerModel), provider: options.provider };
    this.supervisor = new WorkerSupervisor(init, this.slots, options.respawn ?? DEFAULT_RESPAWN, (event) => {
      hooks.onWorkerEvent?.(event);
      if (!this.serviceable)
        for (const model of this.models.values())
          for (const batcher of model.batchers.values()) batcher.failQueued(new NoLiveWorkerError());
    });
  }

  /** Start the workers, load every bundle in each, and warm every session at every shape before resolving. */
  static async start(bundles: readonly ModelBundle[], options: PoolOptions, hooks: PoolHooks = {}): Promise<InferencePool> {
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
    for (const { bundle, settings, shapes } of this.models.values()) {
      const { name, version, task } = bundle.manifest;
      for (let slot = 0; slot < this.options.workers; slot++) {
        for (const shape of shapes) {
          for (const count of new Set([1, settings.batch.maxBatchSize])) {
            await this.supervisor
              .handle(slot)
              .run(name, shape, count, new Uint8Array(shape.width * shape.height * 3 * count).fill(128).buffer);
          }
        }
      }
      const used = providers[name]!;
      this.statuses.set(name, {
        name,
        version,
        task,
        provider: used.used,
        requested_provider: this.options.provider,
        ...(used.fallbackReason ? { fallback_reason: used.fallbackReason } : {}),
        warm: true,
      });
    }
  }

  /** The input shapes a model is served at, its manifest's first. */
  shapesOf(model: string): readonly InputShape[] {
    return this.models.get(model)?.shapes ?? [];
  }

  /**
   * The batcher for one model at one shape (absent: the manifest's). A dynamic-width model has one batcher for every width,
   * so its queue limit and its turn among the models stay one model's; each run takes the width from its pixels.
   */
  private batcherFor(name: string, pixels: Uint8Array, shape?: InputShape): MicroBatcher<Uint8Array, Float32Array> {
    const model = this.models.get(name);
    if (!model) throw new Error(`no model named ${name}`);
    const { height } = model.shapes[0]!;
    const dynamic = shape === undefined && model.settings.dynamicWidth;
    if (dynamic) {
      const width = pixels.byteLength / (height * 3);
      if (!Number.isInteger(width) || width <= 0)
        throw new Error(`model ${name} is not served at ${pixels.byteLength} bytes of height ${height}`);
    }
    const wanted = shape ?? model.shapes[0]!;
    const key = dynamic ? `dynamic-width x ${height}` : shapeKey(wanted);
    const found = model.batchers.get(key);
    if (found) return found;
    if (!dynamic && !model.shapes.some((s) => shapeKey(s) === key)) throw new Error(`model ${name} is not served at ${key}`);
    const run = dynamic
      ? (slot: number, items: Uint8Array[]) => this.runWidths(slot, name, height, items)
      : (slot: number, items: Uint8Array[]) => this.runOn(slot, name, wanted, items);
    const limits = { ...model.settings.batch, queueMax: this.options.batch.queueMax };
    const batcher = new MicroBatcher(limits, this.slots, run, (stats) => this.hooks.onBatch?.(name, stats));
    model.batchers.set(key, batcher);
    return batcher;
  }

  /** A dynamic-width batch: one run when its images share a width, else one run each. */
  private async runWidths(slot: number, model: string, height: number, items: Uint8Array[]): Promise<Float32Array[]> {
    const widthOf = (item: Uint8Array) => item.byteLength / (height * 3);
    if (items.every((item) => widthOf(item) === widthOf(items[0]!)))
      return this.runOn(slot, model, { width: widthOf(items[0]!), height }, items);
    const outputs: Float32Array[] = [];
    for (const item of items) outputs.push(...(await this.runOn(slot, model, { width: widthOf(item), height }, [item])));
    return outputs;
  }

  private async runOn(slot: number, model: string, shape: InputShape, items: Uint8Array[]): Promise<Float32Array[]> {
    const reply = await this.supervisor.handle(slot).run(model, shape, items.length, packBatch(items));
    this.hooks.onInference?.(model, reply.inferenceMs / 1000, items.length);
    const all = new Float32Array(reply.output);
    return items.map((_, i) => all.subarray(i * reply.classes, (i + 1) * reply.classes));
  }

  /**
   * Raw output for one image already resized to `shape` (uint8 HWC RGB; absent, the manifest's); `origin` tags it in
   * batch stats. Queued work of a request that ends first (deadline, client gone) is dropped (src/runtime/request-signal.ts).
   */
  infer(model: string, pixels: Uint8Array, origin = '', shape?: InputShape): Promise<Float32Array> {
    return this.inferEach([{ model, pixels, ...(shape ? { shape } : {}) }], origin).then(([output]) => output!);
  }

  /** One image through several models: queued on every model's batcher, or on none when any queue is full (no orphaned work). */
  inferEach(inputs: readonly { model: string; pixels: Uint8Array; shape?: InputShape }[], origin = ''): Promise<Float32Array[]> {
    let batchers: MicroBatcher<Uint8Array, Float32Array>[];
    try {
      batchers = inputs.map(({ model, pixels, shape }) => this.batcherFor(model, pixels, shape));
    } catch (error) {
      return Promise.reject(error);
    }
    if (!this.serviceable) return Promise.reject(new NoLiveWorkerError());
    // Several inputs may share a batcher (a screenshot's text lines): each batcher needs room for all of its own.
    const wanted = new Map<MicroBatcher<Uint8Array, Float32Array>, number>();
    for (const batcher of batchers) wanted.set(batcher, (wanted.get(batcher) ?? 0) + 1);
    if ([...wanted].some(([batcher, count]) => batcher.depth + count > this.options.batch.queueMax))
      return Promise.reject(new QueueFullError(this.options.batch.queueMax));
    const signal = requestSignal();
    return Promise.all(inputs.map(({ pixels }, i) => batchers[i]!.submit(pixels, origin, signal)));
  }

  /** Queued (not yet dispatched) requests for a model, over its shapes. */
  queueDepth(model: string): number {
    return [...(this.models.get(model)?.batchers.values() ?? [])].reduce((sum, batcher) => sum + batcher.depth, 0);
  }

  /** Per model: version, provider actually used, warm, workers serving it now. */
  status(): ModelRuntimeStatus[] {
    return [...this.statuses.values()].map((status) => ({ ...status, workers_live: this.slots.live }));
  }

  /** Stop every pending replacement, and every worker once its run in progress has replied. */
  close(): Promise<void> {
    return this.supervisor.close();
  }
}
