/** The detector kind: per-anchor boxes and class scores (decoded in the graph) -> thresholded, per-class NMS detections. */
import type { ModelBundle } from '../bundle/load-bundle.js';
import type { ModelKind } from './served-model.js';

/** A box in 0-1 image coordinates: the image's left/top edge is 0, its right/bottom edge 1. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Detection {
  /** Index into the manifest's classes. */
  classIndex: number;
  id: string;
  name: string;
  score: number;
  box: Box;
}

export interface PostProcess {
  scoreThreshold: number;
  iouThreshold: number;
  maxDetections: number;
  /** Boxes of any class suppress each other (class_agnostic), or only boxes of one class (per_class). */
  nms: 'class_agnostic' | 'per_class';
  /** Class ids dropped before NMS. */
  suppressed: ReadonlySet<string>;
}

/** Used when a detect manifest names none. */
export const DEFAULT_POSTPROCESS: PostProcess = {
  scoreThreshold: 0.3,
  iouThreshold: 0.5,
  maxDetections: 20,
  nms: 'per_class',
  suppressed: new Set(),
};

/** The manifest's post-processing settings, or the defaults when it has none. */
export function postProcessOf(bundle: ModelBundle): PostProcess {
  const given = bundle.manifest.postprocess;
  if (!given) return DEFAULT_POSTPROCESS;
  return {
    scoreThreshold: given.score_threshold,
    iouThreshold: given.iou_threshold,
    maxDetections: given.max_detections,
    nms: given.nms,
    suppressed: new Set(given.suppressed_classes ?? []),
  };
}

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

/** Candidates over the threshold: each anchor's best class only, box clipped to the image. */
function candidates(raw: Float32Array, classes: number, threshold: number): { classIndex: number; score: number; box: Box }[] {
  const stride = 4 + classes;
  const found = [];
  for (let at = 0; at + stride <= raw.length; at += stride) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (raw[at + 4 + c]! > raw[at + 4 + best]!) best = c;
    const score = raw[at + 4 + best]!;
    if (score < threshold) continue;
    const [x1, y1, x2, y2] = [clamp(raw[at]!), clamp(raw[at + 1]!), clamp(raw[at + 2]!), clamp(raw[at + 3]!)];
    if (x2 <= x1 || y2 <= y1) continue;
    found.push({ classIndex: best, score, box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 } });
  }
  return found;
}

/** Greedy non-maximum suppression (per class or across classes), best first, up to maxDetections. */
export function detect(raw: Float32Array, classes: readonly { id: string; name: string }[], settings: PostProcess): Detection[] {
  const sorted = candidates(raw, classes.length, settings.scoreThreshold)
    .filter((c) => !settings.suppressed.has(classes[c.classIndex]!.id))
    .sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  const rivals = (a: number, b: number) => settings.nms === 'class_agnostic' || a === b;
  for (const candidate of sorted) {
    if (kept.length >= settings.maxDetections) break;
    const overlaps = kept.some((k) => rivals(k.classIndex, candidate.classIndex) && iou(k.box, candidate.box) > settings.iouThreshold);
    if (overlaps) continue;
    const { id, name } = classes[candidate.classIndex]!;
    kept.push({ ...candidate, id, name });
  }
  return kept;
}

/** A COCO-style detector kind; `overrides` replace the manifest's post-processing. The stretch resize keeps 0-1 boxes valid. */
export function objectDetector(overrides: Partial<PostProcess> = {}): ModelKind<Detection[]> {
  return {
    task: 'detect',
    interpret: (raw, bundle) => detect(raw, bundle.manifest.classes, { ...postProcessOf(bundle), ...overrides }),
  };
}
