/** One inference worker thread: spawning it, and request/reply bookkeeping over its message port. */
import { Worker } from 'node:worker_threads';
import type { InputShape, WorkerInit, WorkerReply, WorkerRequest, WorkerStop } from './inference-worker.js';

interface InFlight {
  resolve: (reply: Extract<WorkerReply, { type: 'result' }>) => void;
  reject: (error: Error) => void;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./inference-worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);

/** Start an inference worker. Compiled: run the worker file. From TypeScript sources (tests, dev): register tsx inside the thread first. */
export function spawnWorker(init: WorkerInit): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData: init });
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: init });
}

/** Sends batches to one worker and settles each by its reply; fails everything in flight if the worker dies. */
export class WorkerHandle {
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 1;
  private exited: Error | undefined;
  readonly ready: Promise<Extract<WorkerReply, { type: 'ready' }>>;

  constructor(
    readonly worker: Worker,
    onExit: (error: Error) => void = () => {},
  ) {
    this.ready = new Promise((resolve, reject) => {
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') resolve(reply);
        else if (reply.type === 'fatal') reject(new Error(`inference worker failed to start: ${reply.message}`));
        else this.settle(reply);
      });
      worker.on('error', (error) => {
        reject(error);
        this.failAll(error);
      });
      worker.on('exit', (code) => {
        this.exited = new Error(`inference worker exited with code ${code}`);
        reject(this.exited);
        this.failAll(this.exited);
        onExit(this.exited);
      });
    });
  }

  /** Run `count` images of `shape` (packed NHWC uint8) through a model. */
  run(model: string, shape: InputShape, count: number, pixels: ArrayBuffer) {
    const id = this.nextId++;
    if (this.exited) return Promise.reject(this.exited);
    return new Promise<Extract<WorkerReply, { type: 'result' }>>((resolve, reject) => {
      this.inFlight.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'run', id, model, height: shape.height, width: shape.width, count, pixels } satisfies WorkerRequest, [
        pixels,
      ]);
    });
  }

  /**
   * Ask the worker to exit once the runs it has received have replied (terminating one inside a run aborts the process:
   * src/runtime/inference-worker.ts); terminate it only if it is still running after `boundMs`, a run stuck in native code.
   */
  async stop(boundMs: number): Promise<void> {
    if (this.exited) return;
    const exit = new Promise<boolean>((resolve) => this.worker.once('exit', () => resolve(true)));
    this.worker.postMessage({ type: 'stop' } satisfies WorkerStop);
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), boundMs)));
    const stopped = await Promise.race([exit, bound]);
    clearTimeout(timer);
    if (!stopped) await this.worker.terminate();
  }

  private settle(reply: WorkerReply): void {
    if (reply.type !== 'result' && reply.type !== 'error') return;
    const pending = this.inFlight.get(reply.id);
    this.inFlight.delete(reply.id);
    if (reply.type === 'result') pending?.resolve(reply);
    else pending?.reject(new Error(`inference failed: ${reply.message}`));
  }

  private failAll(error: Error): void {
    for (const pending of this.inFlight.values()) pending.reject(error);
    this.inFlight.clear();
  }
}
