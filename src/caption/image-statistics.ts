/** Colour and edge statistics that tell rendered graphics (screens, pages, charts, drawings) from camera photos. */
import type { RawImage } from '../image/decode.js';

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
    for (let at = y * width * 3, below = at + width * 3, end = below; at < end; at += 3, below += 3) {
      const step = Math.max(Math.abs(data[at]! - data[below]!), Math.abs(data[at + 1]! - data[below + 1]!), Math.abs(data[at + 2]! - data[below + 2]!));
      if (step > EDGE_STEP) edges += 1;
    }
    best = Math.max(best, edges / width);
  }
  return best;
}

/** Pixel rows and columns sampled per side: the statistics are stable at this density and cost about 1 ms. */
const SAMPLES_PER_SIDE = 160;
/** Channel differences up to this are sensor noise on a flat fill, not a gradient. */
const FLAT_DIFF = 2;

/** Statistics over a grid of samples (each with its right-hand neighbour) of the decoded image. */
export function imageStatistics(image: RawImage): ImageStatistics {
  const { data, width, height } = image;
  const stepX = Math.max(1, Math.floor((width - 1) / SAMPLES_PER_SIDE));
  const stepY = Math.max(1, Math.floor(height / SAMPLES_PER_SIDE));
  const counts = new Map<number, number>();
  let samples = 0;
  let exact = 0;
  let gradual = 0;
  let white = 0;
  for (let y = 0; y < height; y += stepY) {
    for (let x = 0; x + 1 < width; x += stepX) {
      const at = (y * width + x) * 3;
      const r = data[at]!, g = data[at + 1]!, b = data[at + 2]!;
      const diff = Math.max(Math.abs(r - data[at + 3]!), Math.abs(g - data[at + 4]!), Math.abs(b - data[at + 5]!));
      if (diff === 0) exact++;
      else if (diff > FLAT_DIFF && diff <= 32) gradual++;
      if (Math.min(r, g, b) >= 245) white++;
      const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      samples++;
    }
  }
  let background = 0;
  let most = 0;
  for (const [key, n] of counts) if (n > most) [background, most] = [key, n];
  const luma = 0.299 * (((background >> 10) & 31) * 8 + 4) + 0.587 * (((background >> 5) & 31) * 8 + 4) + 0.114 * ((background & 31) * 8 + 4);
  const share = (n: number) => (samples === 0 ? 0 : n / samples);
  return { backgroundLuma: luma, exact: share(exact), gradual: share(gradual), white: share(white), windowEdge: windowEdge(image) };
}
