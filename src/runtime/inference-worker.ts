/** Worker thread that owns ONNX Runtime sessions; the only module that imports onnxruntime-node. */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import type { ExecutionProvider } from '../config.js';

export interface InputShape {
  readonly width: number;
  readonly height: number;
}

export interface WorkerModel {
  name: string;
  modelPath: string;
  inputName: string;
  outputName: string;
  /** ORT's CPU arena and memory patterns: off frees a run's activations when it ends. */
  memoryArena: boolean;
  intraOpThreads: number;
}

export interface WorkerInit {
  models: WorkerModel[];
  provider: ExecutionProvider;
}

/** One batch of `count` images of height x width, packed NHWC uint8 (the pool picks the shape; the session's axes take it). */
export type WorkerRequest = { type: 'run'; id: number; model: string; height: number; width: number; count: number; pixels: ArrayBuffer };

/** Finish the runs already sent, then exit: the only safe way to stop a worker (see `main`). */
export type WorkerStop = { type: 'stop' };

export type WorkerReply =
  | { type: 'ready'; providers: Record<string, { used: string; fallbackReason?: string }> }
  | { type: 'result'; id: number; output: ArrayBuffer; classes: number; inferenceMs: number }
  | { type: 'error'; id: number; message: string }
  | { type: 'fatal'; message: string };

interface LoadedModel {
  spec: WorkerModel;
  session: ort.InferenceSession;
}

async function createSession(model: WorkerModel, init: WorkerInit) {
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: model.intraOpThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // Decoding shares the cores: idle ORT threads must sleep rather than spin.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
    ...(model.memoryArena ? {} : { enableCpuMemArena: false, enableMemPattern: false }),
  };
  if (init.provider === 'cpu') {
    return { session: await ort.InferenceSession.create(model.modelPath, { ...base, executionProviders: ['cpu'] }), used: 'cpu' };
  }
  try {
    const options = { ...base, executionProviders: [init.provider, 'cpu'] };
    return { session: await ort.InferenceSession.create(model.modelPath, options), used: init.provider };
  } catch (error) {
    const fallbackReason = (error as Error).message.split('\n')[0]!.slice(0, 300);
    const session = await ort.InferenceSession.create(model.modelPath, { ...base, executionProviders: ['cpu'] });
    return { session, used: 'cpu', fallbackReason };
  }
}

async function runBatch(loaded: LoadedModel, request: WorkerRequest): Promise<WorkerReply> {
  const { spec, session } = loaded;
  const { count, height, width, pixels } = request;
  if (pixels.byteLength !== count * height * width * 3)
    throw new Error(`model ${spec.name} got ${pixels.byteLength} bytes for ${count} images of ${width} x ${height}`);
  const input = new ort.Tensor('uint8', new Uint8Array(pixels), [count, height, width, 3]);
  const started = performance.now();
  const results = await session.run({ [spec.inputName]: input });
  const inferenceMs = performance.now() - started;
  const tensor = results[spec.outputName];
  if (tensor?.type !== 'float32') throw new Error(`model ${spec.name} gave no float32 ${spec.outputName}`);
  const data = tensor.data as Float32Array;
  const output = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return { type: 'result', id: request.id, output, classes: data.length / count, inferenceMs };
}

/**
 * Answer run messages; on a stop message, exit once the runs received have replied. Never `worker.terminate()` a worker
 * inside `session.run`: the binding's result conversion then fails in the dying thread, throws a C++ `Napi::Error` that
 * nothing catches, and the whole process dies with SIGABRT (issue 25: a drain cut by SHUTDOWN_TIMEOUT_MS). Runs are
 * synchronous on this thread, so none is in progress while a message is handled.
 */
function serveRuns(port: MessagePort, loaded: ReadonlyMap<string, LoadedModel>): void {
  let running = 0;
  let stopping = false;
  const exitIfDone = () => {
    if (stopping && running === 0) process.exit(0);
  };
  port.on('message', (request: WorkerRequest | WorkerStop) => {
    if (request.type === 'stop') {
      stopping = true;
      exitIfDone();
      return;
    }
    const model = loaded.get(request.model);
    const reply = model ? runBatch(model, request) : Promise.reject(new Error(`unknown model ${request.model}`));
    running += 1;
    reply
      .then((message) => port.postMessage(message, message.type === 'result' ? [message.output] : []))
      .catch((error: Error) => port.postMessage({ type: 'error', id: request.id, message: error.message }))
      .finally(() => {
        running -= 1;
        exitIfDone();
      });
  });
}

async function main(): Promise<void> {
  const port = parentPort!;
  const init = workerData as WorkerInit;
  const loaded = new Map<string, LoadedModel>();
  serveRuns(port, loaded); // before the sessions load, so a stop sent meanwhile ends the worker between two of them
  const providers: Record<string, { used: string; fallbackReason?: string }> = {};
  for (const spec of init.models) {
    const { session, used, fallbackReason } = await createSession(spec, init);
    loaded.set(spec.name, { spec, session });
    providers[spec.name] = fallbackReason ? { used, fallbackReason } : { used };
  }
  port.postMessage({ type: 'ready', providers } satisfies WorkerReply);
}

main().catch((error: Error) => parentPort!.postMessage({ type: 'fatal', message: error.message } satisfies WorkerReply));
