/** POST /caption: receive -> decode -> resize -> infer -> hedge -> compose. */
import type { RequestHandler } from 'express';
import type { ModelBundle } from '../bundle/load-bundle.js';
import type { Config } from '../config.js';
import type { components, operations } from '../generated/api.js';
import { resizeForModel } from '../image/resize.js';
import type { ServiceMetrics } from '../http/metrics.js';
import { operationValidator } from '../http/validate-request.js';
import { composeAltText } from '../pipeline/compose-alt-text.js';
import { hedgeLabel, topClasses } from '../pipeline/hedge.js';
import { inferOrOverload } from '../pipeline/infer.js';
import { readImage } from '../pipeline/read-image.js';
import type { InferencePool } from '../runtime/inference-pool.js';

type CaptionQuery = NonNullable<operations['caption']['parameters']['query']>;
type CaptionResponse = components['schemas']['CaptionResponse'];

export interface CaptionDeps {
  readonly config: Config;
  readonly metrics: ServiceMetrics;
  readonly pool: () => InferencePool;
  readonly bundle: ModelBundle;
  readonly workingShorterSide: number;
}

const validator = operationValidator<CaptionQuery>('/caption', 'post');

/** The /caption handler for one caption bundle. */
export function captionHandler(deps: CaptionDeps): RequestHandler {
  const { config, metrics, bundle } = deps;
  const { manifest, hierarchy } = bundle;
  if (!hierarchy) throw new Error(`${manifest.name} is not a caption model`);
  return async (req, res) => {
    const query = validator.query(req.query);
    const target = query.precision_target ?? config.captionPrecisionTarget;
    const image = await readImage(req, { config, metrics, contentTypes: validator.contentTypes, workingShorterSide: deps.workingShorterSide });
    const pixels = await resizeForModel(image, manifest.input);
    const probabilities = await inferOrOverload(deps.pool(), manifest.name, pixels, '/caption');
    const label = hedgeLabel(hierarchy, probabilities, target);
    const body: CaptionResponse = {
      alt_text: composeAltText(label),
      label: { id: label.id, name: label.name, score: label.score, path: label.path },
      labels: topClasses(manifest.classes, probabilities, query.max_labels ?? 5),
      model: { name: manifest.name, version: manifest.version },
      precision_target: target,
    };
    res.json(body);
  };
}
