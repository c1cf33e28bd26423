/** Load and verify the bundles the configuration names, start the one inference pool, bind the policy: one immutable result. */
import type { Logger } from 'pino';
import type { CaptionModels } from './caption/caption-image.js';
import { BundleError, loadBundle, type ModelBundle } from './bundle/load-bundle.js';
import type { Config } from './config.js';
import type { ServiceMetrics } from './observability/metrics.js';
import { captionClassifier, nsfwClassifier } from './models/classifier.js';
import { CAPTION_POSTPROCESS } from './caption/select-detections.js';
import { objectDetector } from './models/detector.js';
import { faceDetector } from './models/face-detector.js';
import { textDetector } from './models/text-detector.js';
import { lineSpecOf, TextReader } from './models/text-reader.js';
import { textRecognizer } from './models/text-recognizer.js';
import { ServedModel, type ModelKind } from './models/served-model.js';
import type { ModerationModels } from './moderation/moderate-image.js';
import type { ModerationPolicy } from './moderation/policy.js';
import { resolvePolicy } from './moderation/resolve-policy.js';
import { poolSlots, slotOf, type Serving, type ServingSlot } from './serving.js';
import { InferencePool, type PoolHooks, type PoolOptions } from './runtime/inference-pool.js';
import type { WorkerEvent } from './runtime/worker-supervisor.js';

/** The detector as the caption use case reads it: its post-processing, then the serving slot's overrides. */
const detectorKind = (slot: ServingSlot | undefined) => objectDetector({ ...CAPTION_POSTPROCESS, ...slot?.postprocess });
/** The face detector: its manifest's post-processing, then the serving slot's overrides. */
const faceKind = (slot: ServingSlot | undefined) => faceDetector(slot?.postprocess);

export interface LoadedModels {
  readonly bundles: readonly ModelBundle[];
  readonly pool: InferencePool;
  readonly caption: CaptionModels;
  /** Present when moderation is enabled. */
  readonly moderation?: ModerationModels;
  /** Decode to the shorter side the most demanding model needs, no larger. */
  readonly workingShorterSide: number;
}

/** The bundle of a serving slot, checked to serve the kind the use case reads it as. */
async function loadSlot(serving: Serving, slot: string, kind: ModelKind<unknown>): Promise<ModelBundle> {
  const bundle = await loadBundle(slotOf(serving, slot).bundle);
  if (bundle.manifest.task !== kind.task) {
    throw new BundleError(bundle.dir, `is a ${bundle.manifest.task} model; this slot needs a ${kind.task} model`);
  }
  return bundle;
}

/**
 * The image statistics that tell screenshots and pages from photos (src/image/image-statistics.ts) were tuned on
 * decodes of at least this shorter side: decoded smaller, a rendered dialog's share of exactly equal neighbours fell
 * from 0.66 to 0.50 and two more of the text set's graphics were called photos (docs/performance.md, the image path).
 */
export const STATISTICS_SHORTER_SIDE = 512;

/**
 * The shorter side to decode to: what the most demanding model needs (a crop model's shorter side; a stretched input's
 * larger side, so neither axis is enlarged), at least what the image statistics need, and no more, since every further
 * pixel is decoded, resized and thrown away. Slots whose `working_decode` is false (OCR's) are left out: their models
 * ask the image source for a larger decode when they run (src/image/image-source.ts).
 */
export function workingShorterSide(bundles: readonly ModelBundle[]): number {
  const needs = bundles.map(({ manifest: { input } }) =>
    input.resize.method === 'shorter_side_center_crop' ? input.resize.shorter_side : Math.max(input.height, input.width),
  );
  return Math.max(STATISTICS_SHORTER_SIDE, ...needs);
}

function logWorkerEvent(log: Logger, event: WorkerEvent): void {
  const { kind, slot } = event;
  if (kind === 'died') log.error({ slot, err: event.error }, 'inference worker died; replacing it');
  else if (kind === 'replaced') log.warn({ slot, attempt: event.attempt }, 'inference worker replaced');
  else if (event.retryInMs !== undefined)
    log.error(
      { slot, attempt: event.attempt, retry_in_ms: event.retryInMs, err: event.error },
      'replacement inference worker failed to start; retrying',
    );
  else log.fatal({ slot, attempt: event.attempt, err: event.error }, 'replacement inference worker failed to start; slot given up');
}

function poolHooks(metrics: ServiceMetrics, log: Logger, onWorkerGivenUp: () => void): PoolHooks {
  return {
    onBatch(model, stats) {
      metrics.batchSize.observe({ model }, stats.size);
      metrics.batchRoutes.inc({ model, routes: [...new Set(stats.origins)].sort().join('+') });
      for (const ms of stats.queueWaitsMs) metrics.queueWait.observe({ model }, ms / 1000);
    },
    onInference: (model, seconds) => metrics.inferenceDuration.observe({ model }, seconds),
    onWorkerEvent(event) {
      const outcome = event.kind === 'start_failed' ? (event.retryInMs === undefined ? 'given_up' : 'start_failed') : event.kind;
      metrics.workerEvents.inc({ outcome });
      if (outcome === 'given_up') onWorkerGivenUp();
      logWorkerEvent(log, event);
    },
  };
}

/** Bind the policy to the loaded models; unsupported categories are logged, then left out (throws if the policy contradicts them). */
function bindPolicy(
  policy: ModerationPolicy,
  caption: ServedModel<Float32Array>,
  nsfw: ServedModel<Float32Array>,
  config: Config,
  log: Logger,
): ModerationModels {
  const manifests = { caption: caption.bundle.manifest, nsfw: nsfw.bundle.manifest };
  const resolved = resolvePolicy(policy, manifests, config.moderation.policyFile);
  for (const { id, reason } of resolved.unsupported) {
    log.warn({ category: id, reason }, 'moderation category unsupported: left out of every response');
  }
  log.info(
    { policy: resolved.version, categories: resolved.categories.map(({ id, classIds }) => ({ id, classes: classIds.length })) },
    'moderation policy resolved',
  );
  return Object.freeze({ policy: resolved, models: Object.freeze({ caption, nsfw }) });
}

/** How the pool is started: the worker pool, or in HTTP tests a stub that answers without ONNX Runtime. */
export type StartPool = (bundles: readonly ModelBundle[], options: PoolOptions, hooks: PoolHooks) => Promise<InferencePool>;

const startWorkerPool: StartPool = (bundles, options, hooks) => InferencePool.start(bundles, options, hooks);

/** The caption bundle (plus the detector and the face detector when enabled, and the NSFW bundle when a policy is given) in one pool: one micro-batcher per model, shared workers, all warm. */
export async function loadModels(
  config: Config,
  metrics: ServiceMetrics,
  log: Logger,
  policy?: ModerationPolicy,
  onWorkerGivenUp: () => void = () => {},
  startPool: StartPool = startWorkerPool,
): Promise<LoadedModels> {
  const { serving } = config;
  const ocr = config.ocr.mode !== 'off';
  const detector = detectorKind(serving.detector);
  const faces = faceKind(serving.face_detector);
  const [captionBundle, nsfwBundle, detectorBundle, faceBundle, textDetectorBundle, textRecognizerBundle] = await Promise.all([
    loadSlot(serving, 'classifier', captionClassifier),
    policy ? loadSlot(serving, 'nsfw', nsfwClassifier) : undefined,
    config.detector.enabled ? loadSlot(serving, 'detector', detector) : undefined,
    config.detector.enabled && config.faces.enabled ? loadSlot(serving, 'face_detector', faces) : undefined,
    ocr ? loadSlot(serving, 'text_detector', textDetector) : undefined,
    ocr ? loadSlot(serving, 'text_recognizer', textRecognizer) : undefined,
  ]);
  if (textRecognizerBundle) lineSpecOf(textRecognizerBundle);
  const bySlot = {
    classifier: captionBundle,
    nsfw: nsfwBundle,
    detector: detectorBundle,
    face_detector: faceBundle,
    text_detector: textDetectorBundle,
    text_recognizer: textRecognizerBundle,
  };
  const bundles = Object.values(bySlot).filter((bundle) => bundle !== undefined);
  const names = new Set<string>();
  for (const bundle of bundles) {
    if (names.has(bundle.manifest.name))
      throw new BundleError(bundle.dir, `has the same name as another model (${bundle.manifest.name}); names key the pool`);
    names.add(bundle.manifest.name);
  }
  const decodedOnce = Object.entries(bySlot).flatMap(([slot, bundle]) => (bundle && serving[slot]!.workingDecode ? [bundle] : []));
  const pool = await startPool(
    bundles,
    {
      workers: config.inferenceWorkers,
      intraOpThreads: config.intraOpThreads,
      memoryArena: config.ortMemoryArena,
      provider: config.executionProvider,
      batch: { maxBatchSize: config.batchMaxSize, maxWaitMs: config.batchMaxWaitMs, queueMax: config.queueMax },
      slots: poolSlots(serving, bySlot),
    },
    poolHooks(metrics, log, onWorkerGivenUp),
  );
  const classifier = new ServedModel(captionBundle, captionClassifier, pool);
  try {
    const moderation =
      policy && nsfwBundle ? bindPolicy(policy, classifier, new ServedModel(nsfwBundle, nsfwClassifier, pool), config, log) : undefined;
    const caption = Object.freeze({
      classifier,
      ...(config.kindsExtended ? { extendedKinds: true } : {}),
      ...(config.sidewaysPhotos ? { sideways: true } : {}),
      ...(detectorBundle ? { detector: new ServedModel(detectorBundle, detector, pool) } : {}),
      ...(faceBundle ? { faces: new ServedModel(faceBundle, faces, pool) } : {}),
      ...(textDetectorBundle && textRecognizerBundle ? { text: new TextReader(textDetectorBundle, textRecognizerBundle, pool) } : {}),
    });
    const loaded = { bundles, pool, caption, workingShorterSide: workingShorterSide(decodedOnce) };
    return Object.freeze(moderation ? { ...loaded, moderation } : loaded);
  } catch (error) {
    await pool.close();
    throw error;
  }
}
