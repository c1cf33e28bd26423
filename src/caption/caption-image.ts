/** The caption use case: one image source -> classify -> hedge -> compose; routes, benches and tests all call this. */
import type { components } from '../generated/api.js';
import type { ImageSource } from '../image/image-source.js';
import type { Detection } from '../models/detector.js';
import type { Face } from '../models/face-detector.js';
import { predictEach, type ServedModel } from '../models/served-model.js';
import type { TextRegion } from '../models/text-detector.js';
import type { ReadText, TextReader } from '../models/text-reader.js';
import { claimKindOf } from './claims-by-kind.js';
import { statedFacts } from './stated-facts.js';
import { composeCaption, grammarOf } from './compose-caption.js';
import { PERSON_ID, type SceneFacts, type SceneText } from './describe-scene.js';
import { conceptScores, hedgeScores, topClasses } from './hedge.js';
import { imageKind, looksRendered, onPaper, worthReading, type ImageKind } from './image-kind.js';
import { apiKind } from './fold-kind.js';
import { ImageEvidence, PixelEvidence } from './kind-evidence.js';
import { decideKind } from './kind-head.js';
import { classIdsOf, placeScene } from './place-scene.js';
import { ENGLISH, LANGUAGE_PACKS } from './languages/packs.js';
import { headScene } from './scene-head.js';
import { readSceneText } from './scene-text.js';
import { selectDetections, selectFaces } from './select-detections.js';
import { fieldsBeforeTurn, mayBeSideways, personTrace, sidewaysTurn } from './sideways.js';

export type CaptionResponse = components['schemas']['CaptionResponse'];

export interface CaptionModels {
  readonly classifier: ServedModel<Float32Array>;
  /** People and objects with boxes; without it the alt-text comes from the classifier alone. */
  readonly detector?: ServedModel<Detection[]>;
  /** Faces, which count people the detector misses (close-ups, partly visible people); runs only with the detector. */
  readonly faces?: ServedModel<Face[]>;
  /** OCR; without it the response has no text and the kind comes from the image and the classifier alone. */
  readonly text?: TextReader;
  /** The kind detector's painting, map and diagram are said as such (KINDS_EXTENDED); else they fold (fold-kind.ts). */
  readonly extendedKinds?: boolean;
  /** An opaque photo of which the first look says only an unsure label is looked at turned a quarter each way (SIDEWAYS_PHOTOS, sideways.ts). */
  readonly sideways?: boolean;
}

/**
 * auto: read text when the image looks rendered or shows a thing that carries text; scene: auto, and a photo's confident
 * text regions (scene-text.ts, a detector pass per photo); always; off.
 */
export type TextMode = 'auto' | 'scene' | 'always' | 'off';

/** Top classes listed when a request does not say how many. */
export const DEFAULT_MAX_LABELS = 5;

export interface CaptionOptions {
  /** Hedge to the most specific concept whose probability reaches this. */
  readonly precisionTarget: number;
  readonly maxLabels: number;
  /** Tags the request in batch metrics. */
  readonly origin?: string;
  /** Run the object detector (when loaded). Default true. */
  readonly objects?: boolean;
  /** When to read text (when OCR is loaded). Default auto. */
  readonly text?: TextMode;
  /** The alt-text's language, one of CAPTION_LANGUAGES. Default English. */
  readonly lang?: string;
  /**
   * all (default): nouns at their kind of image's band, else a broader word (claims-by-kind.ts), and basic-level words
   * above the classes; held: all, and each object and label at its measured precision (hold-claims.ts); raw: as
   * hedged and detected, for measuring (scripts/measure-concept-precision.ts).
   */
  readonly claims?: 'held' | 'all' | 'raw';
}

/** What the models found in one image, before it is put into words. */
export interface ImageAnalysis {
  readonly facts: SceneFacts;
  readonly kind: ImageKind;
  /** The text read, lines joined by newlines; empty when none was read. */
  readonly content: string;
  readonly fields: Omit<CaptionResponse, 'alt_text' | 'description' | 'lang'>;
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** The detector's part of the response: people counted, objects with boxes. */
function detectorFields(detections: readonly Detection[], people: number, detector: ServedModel<Detection[]>) {
  const objects = detections
    .filter((d) => d.id !== PERSON_ID)
    .map(({ id, name, score, box }) => ({
      id,
      name,
      score: round(score),
      box: { x: round(box.x), y: round(box.y), width: round(box.width), height: round(box.height) },
    }));
  const { name, version } = detector.bundle.manifest;
  return { people: { count: people }, objects, detector: { name, version } };
}

/** The text part of the response, boxes rounded. */
function textFields(read: ReadText | undefined, reader: TextReader) {
  const { name, version } = reader.detector.bundle.manifest;
  const lines = (read?.lines ?? []).map(({ text, score, box }) => ({
    text,
    score: round(score),
    box: { x: round(box.x), y: round(box.y), width: round(box.width), height: round(box.height) },
  }));
  return { read: read !== undefined, content: read?.content ?? '', lines, model: { name, version } };
}

/** The classifier, the object and face detectors and (where the pixels alone justify reading) the text detector, queued on all or none. */
async function seeImage(
  source: ImageSource,
  models: CaptionModels,
  detector: CaptionModels['detector'],
  reader: TextReader | undefined,
  options: CaptionOptions,
  pixels: PixelEvidence,
  origin: string,
) {
  const early =
    reader && (options.text === 'always' || looksRendered(pixels.statistics) || onPaper(pixels.statistics))
      ? await reader.detection(source)
      : undefined;
  const faces = detector ? models.faces : undefined;
  // All models or none: a full queue must not leave one of them working for a request that was refused.
  const outputs = await predictEach(
    [models.classifier, ...(detector ? [detector] : []), ...(faces ? [faces] : []), ...(early ? [early.detector] : [])] as const,
    source.working,
    origin,
    (model) => (model === early?.detector ? early.image : undefined),
  );
  return {
    probabilities: outputs[0] as Float32Array,
    candidates: (detector ? outputs[1] : []) as Detection[],
    faces: (faces ? outputs[2] : []) as Face[],
    earlyRegions: (early ? outputs.at(-1) : undefined) as TextRegion[] | undefined,
  };
}

/** One look at the image as given: classify, detect, hedge; the kind tree asks for the rest of the evidence, text included. */
async function analyseAsGiven(source: ImageSource, models: CaptionModels, options: CaptionOptions) {
  const { manifest, hierarchy } = models.classifier.bundle;
  if (!hierarchy) throw new Error(`${manifest.name} has no hierarchy: it is not a caption model`);
  const origin = options.origin ?? '/caption';
  const pixels = new PixelEvidence(source.working);
  const detector = options.objects === false ? undefined : models.detector;
  const reader = options.text === 'off' ? undefined : models.text;
  const seen = await seeImage(source, models, detector, reader, options, pixels, origin);
  const { probabilities, candidates, earlyRegions } = seen;
  const concepts = conceptScores(hierarchy, probabilities);
  const label = hedgeScores(hierarchy, concepts, options.precisionTarget);
  // Text is read when its regions were already found, else when the evidence says it is worth reading.
  const evidence = new ImageEvidence(pixels, { hierarchy, concepts }, async (asked) => {
    if (!reader || (earlyRegions === undefined && !worthReading(asked))) return undefined;
    return reader.read(source, earlyRegions ?? (await reader.detect(source, origin)), origin);
  });
  const kind = apiKind(decideKind(await imageKind(evidence), probabilities, manifest.sha256), models.extendedKinds === true);
  const detections = selectDetections(candidates, hierarchy, concepts, kind);
  // In scene mode a photo whose text was not worth reading by its look may still show a sign: its kind is settled, the text is only quoted.
  const read =
    (await evidence.read()) ??
    (reader && kind === 'photo' && options.text === 'scene' ? await readSceneText(reader, source, origin) : undefined);
  // Only a photo (or a painting, by the place it shows) is said by where it was taken; the scene head (measured on photos
  // only) names a photo's scene where the place classes name none, in place of nothing but a fallback.
  const gathered = kind === 'photo' || kind === 'painting' ? placeScene(classIdsOf(manifest.classes), probabilities) : undefined;
  const place = gathered ?? (kind === 'photo' ? headScene(probabilities, manifest.sha256) : undefined);
  const facts = statedFacts(
    detections,
    selectFaces(seen.faces, hierarchy, concepts, detections.filter((d) => d.id === PERSON_ID).length, candidates),
    label,
    hierarchy,
    concepts,
    options.claims,
    place,
    claimKindOf(kind, source.working.alpha !== undefined),
  );
  const fields = {
    kind,
    label: { id: label.id, name: label.name, score: label.score, path: label.path },
    labels: topClasses(manifest.classes, probabilities, options.maxLabels),
    model: { name: manifest.name, version: manifest.version },
    precision_target: options.precisionTarget,
    ...(detector ? detectorFields(detections, facts.form === 'list' ? facts.people : 0, detector) : {}),
    ...(reader ? { text: textFields(read, reader) } : {}),
  };
  const trace = personTrace(candidates, seen.faces);
  return { analysis: { facts, kind, content: read?.content ?? '', fields } as ImageAnalysis, concepts, trace };
}

/** The facts and the response fields for one image; an opaque photo with only an unsure label is looked at turned too (sideways.ts). */
export async function analyseImage(source: ImageSource, models: CaptionModels, options: CaptionOptions): Promise<ImageAnalysis> {
  const { analysis, concepts, trace } = await analyseAsGiven(source, models, options);
  const detector = options.objects === false ? undefined : models.detector;
  if (!models.sideways || !detector || !mayBeSideways(analysis.facts, analysis.kind, source, trace)) return analysis;
  const { hierarchy } = models.classifier.bundle;
  const turn = await sidewaysTurn(source, { detector, faces: models.faces }, hierarchy!, concepts, options.origin ?? '/caption');
  if (!turn) return analysis;
  const turned = (await analyseAsGiven(await source.turned(turn), models, options)).analysis;
  // The whole second look decides: where it counts nobody after all, the upright answer stands.
  if (turned.facts.form !== 'list' || turned.facts.people === 0) return analysis;
  return { ...turned, fields: fieldsBeforeTurn(turned.fields, turn) };
}

/** Alt-text and description of an analysed image in one language, by the one composer. */
export function sayAnalysis({ facts, kind, content }: ImageAnalysis, lang: string = ENGLISH): SceneText {
  return composeCaption(facts, kind, content, grammarOf(lang));
}

/** Alt-text, description, kind, hedged label, top classes, and (with a detector and OCR) people, objects and text, for one image. */
export async function captionImage(source: ImageSource, models: CaptionModels, options: CaptionOptions): Promise<CaptionResponse> {
  const analysis = await analyseImage(source, models, options);
  const lang = LANGUAGE_PACKS.has(options.lang ?? '') ? options.lang! : ENGLISH;
  return { ...sayAnalysis(analysis, lang), ...analysis.fields, lang };
}
