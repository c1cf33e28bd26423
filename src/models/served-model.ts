/** A loaded bundle bound to the pool: resize by its manifest, infer in a shared micro-batch, interpret by its kind. */
import type { ModelBundle } from '../bundle/load-bundle.js';
import type { Manifest } from '../bundle/manifest.js';
import type { RawImage } from '../image/decode.js';
import { resizeForModel } from '../image/resize.js';
import type { InferencePool, InputShape } from '../runtime/inference-pool.js';

/** What one model task means: the manifest `task` it serves and how its raw output becomes a typed result. */
export interface ModelKind<Output> {
  readonly task: Manifest['task'];
  interpret(raw: Float32Array, bundle: ModelBundle, image: RawImage): Output;
}

/** One model as the use cases see it; `origin` tags the request in batch metrics. */
export class ServedModel<Output> {
  /** The bundle as this model runs it: at `shape` when one is given (one the pool serves), else as its manifest says. */
  readonly bundle: ModelBundle;

  constructor(
    bundle: ModelBundle,
    readonly kind: ModelKind<Output>,
    readonly pool: InferencePool,
    readonly shape?: InputShape,
  ) {
    this.bundle = shape ? { ...bundle, manifest: { ...bundle.manifest, input: { ...bundle.manifest.input, ...shape } } } : bundle;
  }

  get name(): string {
    return this.bundle.manifest.name;
  }

  /** The model's result for one decoded image. */
  async predict(image: RawImage, origin: string): Promise<Output> {
    const pixels = await resizeForModel(image, this.bundle.manifest.input);
    return this.kind.interpret(await this.pool.infer(this.name, pixels, origin, this.shape), this.bundle, image);
  }
}

/** The outputs of a tuple of served models, in order. */
export type Outputs<Models extends readonly ServedModel<unknown>[]> = {
  [K in keyof Models]: Models[K] extends ServedModel<infer O> ? O : never;
};

/**
 * One image through several models of one pool at once: queued on every model or on none, so a full queue rejects the
 * request whole and never leaves work queued for an answer nobody will read.
 */
export async function predictEach<const Models extends readonly ServedModel<unknown>[]>(
  models: Models,
  image: RawImage,
  origin: string,
  /** Per model, another decode of the same upload (OCR's detector wants more pixels than the others); absent, `image`. */
  imageOf?: (model: ServedModel<unknown>) => RawImage | undefined,
): Promise<Outputs<Models>> {
  if (models.length === 0) return [] as unknown as Outputs<Models>;
  const images = models.map((model) => imageOf?.(model) ?? image);
  const inputs = await Promise.all(
    models.map(async (model, i) => ({
      model: model.name,
      shape: model.shape,
      pixels: await resizeForModel(images[i]!, model.bundle.manifest.input),
    })),
  );
  const raws = await models[0]!.pool.inferEach(inputs, origin);
  return models.map((model, i) => model.kind.interpret(raws[i]!, model.bundle, images[i]!)) as unknown as Outputs<Models>;
}
