/** The caption use case: one decoded image -> classify -> hedge -> compose; routes, benches and tests all call this. */
import type { components } from '../generated/api.js';
import type { RawImage } from '../image/decode.js';
import type { ServedModel } from '../models/served-model.js';
import { composeAltText } from './compose-alt-text.js';
import { hedgeLabel, topClasses } from './hedge.js';

export type CaptionResponse = components['schemas']['CaptionResponse'];

export interface CaptionModels {
  readonly classifier: ServedModel<Float32Array>;
}

export interface CaptionOptions {
  /** Hedge to the most specific concept whose probability reaches this. */
  readonly precisionTarget: number;
  readonly maxLabels: number;
  /** Tags the request in batch metrics. */
  readonly origin?: string;
}

/** Alt-text, hedged label and top classes for one image. */
export async function captionImage(image: RawImage, models: CaptionModels, options: CaptionOptions): Promise<CaptionResponse> {
  const { bundle } = models.classifier;
  const { manifest, hierarchy } = bundle;
  if (!hierarchy) throw new Error(`${manifest.name} has no hierarchy: it is not a caption model`);
  const probabilities = await models.classifier.predict(image, options.origin ?? '/caption');
  const label = hedgeLabel(hierarchy, probabilities, options.precisionTarget);
  return {
    alt_text: composeAltText(label),
    label: { id: label.id, name: label.name, score: label.score, path: label.path },
    labels: topClasses(manifest.classes, probabilities, options.maxLabels),
    model: { name: manifest.name, version: manifest.version },
    precision_target: options.precisionTarget,
  };
}
