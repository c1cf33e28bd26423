/** The text-detector kind: a DB probability map -> text regions (axis-aligned boxes, 0-1 image coordinates). */
import type { ModelBundle } from '../bundle/load-bundle.js';
import type { RawImage } from '../image/decode.js';
import { letterboxSize } from '../image/resize.js';
import type { Box } from './detector.js';
import type { ModelKind } from './served-model.js';

export interface TextRegion {
  box: Box;
  /** Mean map probability over the region's pixels (before it is grown). */
  score: number;
}

/**
 * DB post-processing; rapidocr-onnxruntime 1.4.4's config.yaml values (thresh, box_thresh, unclip_ratio, min size).
 * One difference: a region's score is the mean over its own pixels, where DB's "fast" score averages its rotated box;
 * an axis-aligned box of a slanted line would average in background and drop the line.
 */
export interface TextMapSettings {
  pixelThreshold: number;
  boxThreshold: number;
  unclipRatio: number;
  minSide: number;
  maxRegions: number;
}

export const TEXT_MAP_DEFAULTS: TextMapSettings = { pixelThreshold: 0.3, boxThreshold: 0.5, unclipRatio: 1.6, minSide: 3, maxRegions: 200 };

interface Component {
  left: number;
  top: number;
  right: number;
  bottom: number;
  sum: number;
  pixels: number;
}

/** map > threshold within the top-left width x height, dilated by a 2 x 2 square as DB's use_dilation does. */
function textMask(map: Float32Array, stride: number, width: number, height: number, threshold: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (map[y * stride + x]! <= threshold) continue;
      mask[y * width + x] = 1;
      if (x + 1 < width) mask[y * width + x + 1] = 1;
      if (y + 1 < height) mask[(y + 1) * width + x] = 1;
      if (x + 1 < width && y + 1 < height) mask[(y + 1) * width + x + 1] = 1;
    }
  }
  return mask;
}

/** 4-connected components of the text mask within the top-left width x height (the letterboxed image). */
function components(map: Float32Array, stride: number, width: number, height: number, threshold: number): Component[] {
  const on = textMask(map, stride, width, height, threshold);
  const label = new Int32Array(width * height).fill(-1);
  const found: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < width * height; start++) {
    const sx = start % width;
    const sy = (start - sx) / width;
    if (label[start] !== -1 || on[start] === 0) continue;
    const c: Component = { left: sx, top: sy, right: sx, bottom: sy, sum: 0, pixels: 0 };
    label[start] = found.length;
    stack.push(start);
    while (stack.length > 0) {
      const at = stack.pop()!;
      const x = at % width;
      const y = (at - x) / width;
      c.sum += map[y * stride + x]!;
      c.pixels++;
      if (x < c.left) c.left = x;
      if (x > c.right) c.right = x;
      if (y < c.top) c.top = y;
      if (y > c.bottom) c.bottom = y;
      for (const [nx, ny] of [
        [x - 1, y],
        [x + 1, y],
        [x, y - 1],
        [x, y + 1],
      ] as const) {
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const next = ny * width + nx;
        if (label[next] !== -1 || on[next] === 0) continue;
        label[next] = found.length;
        stack.push(next);
      }
    }
    found.push(c);
  }
  return found;
}

/**
 * Text regions from one probability map of mapWidth x mapHeight whose top-left `used` part holds the image. Boxes are
 * grown by DB's unclip distance (area x ratio / perimeter) because the network is trained to mark shrunk text kernels.
 */
export function textRegions(
  map: Float32Array,
  mapWidth: number,
  used: { width: number; height: number },
  settings: TextMapSettings = TEXT_MAP_DEFAULTS,
): TextRegion[] {
  const regions: TextRegion[] = [];
  for (const c of components(map, mapWidth, used.width, used.height, settings.pixelThreshold)) {
    const w = c.right - c.left + 1;
    const h = c.bottom - c.top + 1;
    if (Math.min(w, h) < settings.minSide) continue;
    const score = c.sum / c.pixels;
    if (score < settings.boxThreshold) continue;
    const grow = (w * h * settings.unclipRatio) / (2 * (w + h));
    const left = Math.max(0, c.left - grow);
    const top = Math.max(0, c.top - grow);
    const right = Math.min(used.width, c.right + 1 + grow);
    const bottom = Math.min(used.height, c.bottom + 1 + grow);
    const box = { x: left / used.width, y: top / used.height, width: (right - left) / used.width, height: (bottom - top) / used.height };
    regions.push({ box, score });
  }
  return regions.sort((a, b) => b.score - a.score).slice(0, settings.maxRegions);
}

/** The text-detector kind: letterboxed input, so the map's used part is the letterboxed image's size. */
export const textDetector: ModelKind<TextRegion[]> = {
  task: 'text_detect',
  interpret(raw: Float32Array, bundle: ModelBundle, image: RawImage): TextRegion[] {
    const { width, height } = bundle.manifest.input;
    return textRegions(raw, width, letterboxSize(image.width, image.height, { width, height }));
  },
};
