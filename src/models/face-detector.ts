/** The face-detector kind: per-prior box offsets and face scores (RetinaFace's head) -> decoded, NMS-filtered faces. */
import type { ModelBundle } from '../bundle/load-bundle.js';
import type { Manifest } from '../bundle/manifest.js';
import type { RawImage } from '../image/decode.js';
import { letterboxSize } from '../image/resize.js';
import { iou, postProcessOf, type Box, type PostProcess } from './detector.js';
import type { ModelKind } from './served-model.js';

export interface Face {
  score: number;
  /** 0-1 image coordinates, clipped to the image. */
  box: Box;
}

/** The manifest's prior grid: strides, prior sizes per stride, and the offsets' variances. */
export type FacePriors = Extract<Manifest['output'], { kind: 'face_priors' }>;

/** Stride, grid row, grid column, prior size, so an index into them is an index into the model's output rows. */
export function priorBoxes(width: number, height: number, spec: Pick<FacePriors, 'strides' | 'prior_sizes'>): Float32Array {
  const rows: number[] = [];
  spec.strides.forEach((stride, level) => {
    for (let y = 0; y < Math.ceil(height / stride); y++) {
      for (let x = 0; x < Math.ceil(width / stride); x++) {
        for (const size of spec.prior_sizes[level]!)
          rows.push(((x + 0.5) * stride) / width, ((y + 0.5) * stride) / height, size / width, size / height);
      }
    }
  });
  return Float32Array.from(rows);
}

const priorCache = new Map<string, Float32Array>();

function cachedPriors(width: number, height: number, spec: FacePriors): Float32Array {
  const key = `${width}x${height}:${JSON.stringify(spec)}`;
  const cached = priorCache.get(key);
  if (cached) return cached;
  const priors = priorBoxes(width, height, spec);
  priorCache.set(key, priors);
  return priors;
}

/** Faces scoring above the threshold, boxes decoded against their priors in 0-1 input coordinates (not yet clipped). */
export function decodeFaces(raw: Float32Array, priors: Float32Array, variances: readonly number[], threshold: number): Face[] {
  const [centreScale, sizeScale] = variances as [number, number];
  const found: Face[] = [];
  for (let p = 0, at = 0; p + 4 <= priors.length; p += 4, at += 5) {
    const score = raw[at + 4]!;
    if (!(score > threshold)) continue;
    const [px, py, pw, ph] = [priors[p]!, priors[p + 1]!, priors[p + 2]!, priors[p + 3]!];
    const cx = px + raw[at]! * centreScale * pw;
    const cy = py + raw[at + 1]! * centreScale * ph;
    const w = pw * Math.exp(raw[at + 2]! * sizeScale);
    const h = ph * Math.exp(raw[at + 3]! * sizeScale);
    found.push({ score, box: { x: cx - w / 2, y: cy - h / 2, width: w, height: h } });
  }
  return found;
}

/** Greedy non-maximum suppression, best first: a face overlapping a kept one by more than `iouThreshold` is dropped. */
export function suppressFaces(faces: readonly Face[], iouThreshold: number, maxFaces: number): Face[] {
  const kept: Face[] = [];
  for (const face of [...faces].sort((a, b) => b.score - a.score)) {
    if (kept.length >= maxFaces) break;
    if (!kept.some((k) => iou(k.box, face.box) > iouThreshold)) kept.push(face);
  }
  return kept;
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

/** A box in 0-1 input coordinates as 0-1 coordinates of the image that fills `used` of the input, clipped to it. */
function toImage(box: Box, scaleX: number, scaleY: number): Box {
  const [x1, y1] = [clamp(box.x * scaleX), clamp(box.y * scaleY)];
  const [x2, y2] = [clamp((box.x + box.width) * scaleX), clamp((box.y + box.height) * scaleY)];
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/** Faces in one image from the model's raw output at input `input`, the image filling `used` of it (top-left letterbox). */
export function detectFaces(
  raw: Float32Array,
  input: { width: number; height: number },
  used: { width: number; height: number },
  spec: FacePriors,
  settings: Pick<PostProcess, 'scoreThreshold' | 'iouThreshold' | 'maxDetections'>,
): Face[] {
  const priors = cachedPriors(input.width, input.height, spec);
  if (raw.length !== (priors.length / 4) * 5) throw new Error(`face detector gave ${raw.length} values for ${priors.length / 4} priors`);
  const kept = suppressFaces(
    decodeFaces(raw, priors, spec.variances, settings.scoreThreshold),
    settings.iouThreshold,
    settings.maxDetections,
  );
  const [scaleX, scaleY] = [input.width / used.width, input.height / used.height];
  return kept.map(({ score, box }) => ({ score, box: toImage(box, scaleX, scaleY) })).filter(({ box }) => box.width > 0 && box.height > 0);
}

/** The face-detector kind: letterboxed input; the manifest's post-processing (the serving slot's overrides on top). */
export function faceDetector(overrides: Partial<PostProcess> = {}): ModelKind<Face[]> {
  return {
    task: 'face_detect',
    interpret(raw: Float32Array, bundle: ModelBundle, image: RawImage): Face[] {
      const { input, output } = bundle.manifest;
      if (output.kind !== 'face_priors') throw new Error(`${bundle.manifest.name} has no face_priors output`);
      const used = letterboxSize(image.width, image.height, input);
      return detectFaces(raw, input, used, output, { ...postProcessOf(bundle), ...overrides });
    },
  };
}
