/**
 * A stub inference pool for HTTP tests (as immich's conftest stubs ONNX Runtime sessions): the real bundles, manifests,
 * served models, use cases and app, with every session answered at once without a worker or ONNX Runtime. A caption
 * model answers "tabby cat", an NSFW model "neutral"; any other model (detector, faces, OCR) an all-zero output (a face
 * model's the size its priors need), which their post-processing reads as nothing found. Only for tests of HTTP behaviour: never for what a model says.
 */
import type { ModelBundle } from '../../src/bundle/load-bundle.js';
import type { StartPool } from '../../src/load-models.js';
import { priorBoxes } from '../../src/models/face-detector.js';
import type { InferencePool, InputShape, ModelRuntimeStatus } from '../../src/runtime/inference-pool.js';

/** The class each stub classifier is sure of, by manifest task. */
const SURE_OF: Record<string, string> = { caption: 'n02123045', nsfw: 'neutral' };

function classifierOutput(bundle: ModelBundle, id: string): Float32Array {
  const { classes } = bundle.manifest;
  const output = new Float32Array(classes.length).fill(0.1 / Math.max(1, classes.length - 1));
  output[
    Math.max(
      0,
      classes.findIndex((c) => c.id === id),
    )
  ] = 0.9;
  return output;
}

/** Answers like a pool of the given bundles; `calls` counts inferences per model (a test can check the stub was used). */
export class StubPool {
  readonly calls = new Map<string, number>();
  private readonly bundles: Map<string, ModelBundle>;

  /** `provider`: the one requested, reported as used (a stub never falls back). */
  constructor(
    bundles: readonly ModelBundle[],
    private readonly provider = 'cpu',
  ) {
    this.bundles = new Map(bundles.map((bundle) => [bundle.manifest.name, bundle]));
  }

  private output(model: string, pixels: Uint8Array): Float32Array {
    const bundle = this.bundles.get(model);
    if (!bundle) throw new Error(`no model named ${model}`);
    this.calls.set(model, (this.calls.get(model) ?? 0) + 1);
    const { task, input, output } = bundle.manifest;
    const sure = SURE_OF[task];
    if (sure) return classifierOutput(bundle, sure);
    if (output.kind === 'face_priors') return new Float32Array((priorBoxes(input.width, input.height, output).length / 4) * 5);
    return new Float32Array(pixels.length / 3);
  }

  infer(model: string, pixels: Uint8Array): Promise<Float32Array> {
    return this.inferEach([{ model, pixels }]).then(([output]) => output!);
  }

  inferEach(inputs: readonly { model: string; pixels: Uint8Array }[]): Promise<Float32Array[]> {
    try {
      return Promise.resolve(inputs.map(({ model, pixels }) => this.output(model, pixels)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  shapesOf(model: string): readonly InputShape[] {
    const input = this.bundles.get(model)?.manifest.input;
    return input ? [{ width: input.width, height: input.height }] : [];
  }

  queueDepth(): number {
    return 0;
  }

  status(): ModelRuntimeStatus[] {
    return [...this.bundles.values()].map(({ manifest: { name, version, task } }) => ({
      name,
      version,
      task,
      provider: this.provider,
      requested_provider: this.provider,
      warm: true,
      workers_live: 1,
    }));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A StartPool for startServer that records the stub it made. */
export function stubPoolStarter(made: StubPool[] = []): StartPool {
  return (bundles, options) => {
    const pool = new StubPool(bundles, options.provider);
    made.push(pool);
    return Promise.resolve(pool as unknown as InferencePool);
  };
}
