/** The caption use case: one decoded image -> classify -> hedge -> compose; routes, benches and tests all call this. */
import type { components } from '../generated/api.js';
import type { RawImage } from '../image/decode.js';
import type { Detection } from '../models/detector.js';
import { predictEach, type ServedModel } from '../models/served-model.js';
import { tooAbstractConcepts } from './abstract-concepts.js';
import { describeScene, PERSON_ID } from './describe-scene.js';
import { conceptScores, hedgeScores, topClasses } from './hedge.js';
import { selectDetections } from './select-detections.js';

export type CaptionResponse = components['schemas']['CaptionResponse'];

export interface CaptionModels {
  readonly classifier: ServedModel<Float32Array>;
  /** People and objects with boxes; without it the alt-text comes from the classifier alone. */
  readonly detector?: ServedModel<Detection[]>;
}

export interface CaptionOptions {
  /** Hedge to the most specific concept whose probability reaches this. */
  readonly precisionTarget: number;
  readonly maxLabels: number;
  /** Tags the request in batch metrics. */
  readonly origin?: string;
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** The detector's part of the response: people counted, objects with boxes. */
function detectorFields(detections: readonly Detection[], detector: ServedModel<Detection[]>) {
  const objects = detections
    .filter((d) => d.id !== PERSON_ID)
    .map(({ id, name, score, box }) => ({ id, name, score: round(score), box: { x: round(box.x), y: round(box.y), width: round(box.width), height: round(box.height) } }));
  const { name, version } = detector.bundle.manifest;
  return { people: { count: detections.length - objects.length }, objects, detector: { name, version } };
}

/** Alt-text, description, hedged label, top classes, and (with a detector) people and objects, for one image. */
export async function captionImage(image: RawImage, models: CaptionModels, options: CaptionOptions): Promise<CaptionResponse> {
  const { manifest, hierarchy } = models.classifier.bundle;
  if (!hierarchy) throw new Error(`${manifest.name} has no hierarchy: it is not a caption model`);
  const origin = options.origin ?? '/caption';
  // Both models or neither: a full queue must not leave one of them working for a request that was refused.
  const [probabilities, candidates] = models.detector
    ? await predictEach([models.classifier, models.detector] as const, image, origin)
    : [await models.classifier.predict(image, origin), []];
  const concepts = conceptScores(hierarchy, probabilities);
  const label = hedgeScores(hierarchy, concepts, options.precisionTarget);
  const detections = selectDetections(candidates, hierarchy, concepts);
  return {
    ...describeScene(detections, label, tooAbstractConcepts(hierarchy)),
    label: { id: label.id, name: label.name, score: label.score, path: label.path },
    labels: topClasses(manifest.classes, probabilities, options.maxLabels),
    model: { name: manifest.name, version: manifest.version },
    precision_target: options.precisionTarget,
    ...(models.detector ? detectorFields(detections, models.detector) : {}),
  };
}
