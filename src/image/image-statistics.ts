/** Colour and edge statistics that tell rendered graphics (screens, pages, charts, drawings) from camera photos. */
import { OPAQUE_FROM } from './alpha.js';
import type { RawImage } from './decode.js';

export interface ImageStatistics {
  /** Mean luma (0-255) of the most common colour (5 bits per channel): the background of a page or a terminal. */
  backgroundLuma: number;
  /** Share of adjacent pairs that are exactly equal. */
  exact: number;
  /** Share of adjacent pairs whose largest channel difference is 3 to 32: the gentle gradients of camera images. */
  gradual: number;
  /** Share of sampled pixels that are paper white (every channel 245 or more): the ground of pages, charts and dialogs. */
  white: number;
  /**
   * Share of columns that change sharply between the same two rows, at the strongest such row in the top band: a
   * window's title bar or toolbar ends in a straight edge across the whole width, a scene's skyline does not.
   */
  windowEdge: number;
}

/** Rows from `from` to `to`, as shares of the image's height. */
export interface Band {
  readonly from: number;
  readonly to: number;
}

/** The band searched for a window's edge, as shares of the height (the very top rows are often a plain border). */
const WINDOW_BAND = { from: 0.02, to: 0.12 } as const;
/** A channel step larger than this between two rows is an edge. */
const EDGE_STEP = 24;

/** The strongest full-width row edge within the top band. */
function windowEdge({ data, width, height }: RawImage): number {
  let best = 0;
  const last = Math.min(height - 1, Math.round(height * WINDOW_BAND.to));
  for (let y = Math.max(1, Math.round(height * WINDOW_BAND.from)); y < last; y += 1) {
    let edges = 0;
    for (let at = y * width * 3, end = at + width * 3; at < end; at += 3) if (stepAt(data, at, width * 3) > EDGE_STEP) edges += 1;
    best = Math.max(best, edges / width);
  }
  return best;
}

/** The largest channel step between the pixel at `at` and the one `offset` bytes on. */
function stepAt(data: Buffer, at: number, offset: number): number {
  const other = at + offset;
  return Math.max(
    Math.abs(data[at]! - data[other]!),
    Math.abs(data[at + 1]! - data[other + 1]!),
    Math.abs(data[at + 2]! - data[other + 2]!),
  );
}

/**
 * A panel: a row edge (a step above PANEL.edgeStep in PANEL.edgeFrom of the columns) with, on its side toward the
 * nearer border, a band at least PANEL.minHeight tall whose sampled neighbours are mostly exactly equal. A camera
 * scene's straightest horizon fails both: its edge wanders, and nothing beside it is flat.
 */
const PANEL = { edgeStep: 12, edgeFrom: 0.97, minHeight: 0.05, exactFrom: 0.5, columnStride: 2 } as const;

function exactShare({ data, width }: RawImage, from: number, to: number): number {
  const stepX = Math.max(1, Math.floor((width - 1) / SAMPLES_PER_SIDE));
  const stepY = Math.max(1, Math.floor((to - from) / 40));
  let samples = 0;
  let exact = 0;
  for (let y = from; y < to; y += stepY) {
    for (let x = 0; x + 1 < width; x += stepX) {
      if (stepAt(data, (y * width + x) * 3, 3) === 0) exact++;
      samples++;
    }
  }
  return samples === 0 ? 0 : exact / samples;
}

/** The tallest flat panel (see PANEL); computed only when the kind tree or the read policy asks (src/caption/kind-evidence.ts). */
export function flatPanel(image: RawImage): Band | undefined {
  const { data, width, height } = image;
  const allowed = (1 - PANEL.edgeFrom) * Math.ceil(width / PANEL.columnStride);
  let best: Band | undefined;
  for (
    let y = Math.max(1, Math.round(height * WINDOW_BAND.from));
    y < Math.round(height * (1 - WINDOW_BAND.from)) && y + 1 < height;
    y += 1
  ) {
    // A row stops being a candidate at its first few misses, so a camera scene's rows cost a few pixels each.
    let misses = 0;
    const row = y * width * 3;
    for (let x = 0; x < width && misses <= allowed; x += PANEL.columnStride)
      if (stepAt(data, row + x * 3, width * 3) <= PANEL.edgeStep) misses++;
    if (misses > allowed) continue;
    // The band runs from the edge to the nearer border.
    const [from, to] = y + 1 >= height / 2 ? [y + 1, height] : [0, y + 1];
    const band = { from: from / height, to: to / height };
    if (band.to - band.from < PANEL.minHeight || (best && band.to - band.from <= best.to - best.from)) continue;
    if (exactShare(image, from, to) >= PANEL.exactFrom) best = band;
  }
  return best;
}

/** Pixel rows and columns sampled per side: the statistics are stable at this density and cost about 1 ms. */
const SAMPLES_PER_SIDE = 160;
/** Channel differences up to this are sensor noise on a flat fill, not a gradient. */
const FLAT_DIFF = 2;

/** Fewer samples than this left once the surround is left out, and every sample is weighed (there is little else). */
const MIN_SUBJECT_SAMPLES = 100;

/** Calls `visit` with the byte offset of each grid sample (a pixel, read with its right-hand neighbour). */
function eachSample({ width, height }: RawImage, visit: (at: number) => void): void {
  const stepX = Math.max(1, Math.floor((width - 1) / SAMPLES_PER_SIDE));
  const stepY = Math.max(1, Math.floor(height / SAMPLES_PER_SIDE));
  for (let y = 0; y < height; y += stepY) for (let x = 0; x + 1 < width; x += stepX) visit((y * width + x) * 3);
}

/**
 * Which samples to weigh: with `withoutSurround`, the pairs without a transparent pixel (a cut-out's surround, white
 * once flattened), when enough of them remain; otherwise every one.
 */
function sampleFilter(image: RawImage, withoutSurround: boolean): ((at: number) => boolean) | undefined {
  const { alpha } = image;
  if (!withoutSurround || !alpha) return undefined;
  const opaque = (at: number) => alpha[at / 3]! >= OPAQUE_FROM && alpha[at / 3 + 1]! >= OPAQUE_FROM;
  let kept = 0;
  eachSample(image, (at) => void (opaque(at) && kept++));
  return kept >= MIN_SUBJECT_SAMPLES ? opaque : undefined;
}

/**
 * Colour counts by 15-bit key (5 bits per channel) and the keys in the order first seen (the background is the first most
 * common), kept between calls and emptied after each: a fresh 128 kB table per request was garbage (docs/performance.md).
 */
const COLOUR_TABLE = { counts: new Uint32Array(32768), seen: new Uint16Array(32768) };

/**
 * Statistics over a grid of samples (each with its right-hand neighbour) of the decoded image; `withoutSurround` weighs
 * only the opaque pairs (a cut-out's subject without its transparent surround).
 */
export function imageStatistics(image: RawImage, { withoutSurround = false } = {}): ImageStatistics {
  const { data } = image;
  const { counts, seen } = COLOUR_TABLE;
  let distinct = 0;
  const weighed = sampleFilter(image, withoutSurround);
  let samples = 0;
  let exact = 0;
  let gradual = 0;
  let white = 0;
  eachSample(image, (at) => {
    if (weighed && !weighed(at)) return;
    samples++;
    const r = data[at]!,
      g = data[at + 1]!,
      b = data[at + 2]!;
    const diff = stepAt(data, at, 3);
    if (diff === 0) exact++;
    else if (diff > FLAT_DIFF && diff <= 32) gradual++;
    if (Math.min(r, g, b) >= 245) white++;
    const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    const count = counts[key]!;
    if (count === 0) seen[distinct++] = key;
    counts[key] = count + 1;
  });
  let background = 0;
  let most = 0;
  for (let i = 0; i < distinct; i++) {
    const key = seen[i]!;
    if (counts[key]! > most) [background, most] = [key, counts[key]!];
    counts[key] = 0; // the table is left empty for the next image
  }
  const luma =
    0.299 * (((background >> 10) & 31) * 8 + 4) + 0.587 * (((background >> 5) & 31) * 8 + 4) + 0.114 * ((background & 31) * 8 + 4);
  const share = (n: number) => (samples === 0 ? 0 : n / samples);
  return { backgroundLuma: luma, exact: share(exact), gradual: share(gradual), white: share(white), windowEdge: windowEdge(image) };
}
