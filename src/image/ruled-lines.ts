/** Ruled lines: one-pixel lines that run straight for long, as a chart's axes, a window's frame or a table's rules have. */
import type { RawImage } from './decode.js';

/** A pixel on a ruled line differs from both neighbours across the line by more than this (luma, 0-255), the same way. */
const RULE_CONTRAST = 20;
/** A rule may be broken this many pixels (where another line crosses it) and still count as one. */
const RULE_GAP = 2;

/**
 * The longest thin straight line across (a share of the width) and down (a share of the height): a chart's two axes,
 * where a table has rules one way; a window's frame. Camera scenes and products on white have edges, but no one-pixel
 * line runs straight for long. A full pass over the image (a few ms at 512 px), so it is computed only where a
 * decision needs it.
 */
export function ruledLines({ data, width, height }: RawImage): { across: number; down: number } {
  const luma = new Uint8Array(width * height);
  for (let i = 0, at = 0; i < luma.length; i++, at += 3) luma[i] = (data[at]! * 77 + data[at + 1]! * 150 + data[at + 2]! * 29) >> 8;
  const apart = (l: number, a: number, b: number) =>
    (a - l > RULE_CONTRAST && b - l > RULE_CONTRAST) || (l - a > RULE_CONTRAST && l - b > RULE_CONTRAST);
  /** On a rule one pixel wide, or on the first row of one two pixels wide (both alike, both apart from either side). */
  const onRule = (i: number, across: number, last: boolean) => {
    const l = luma[i]!;
    if (apart(l, luma[i - across]!, luma[i + across]!)) return true;
    return !last && Math.abs(l - luma[i + across]!) <= RULE_CONTRAST / 2 && apart(l, luma[i - across]!, luma[i + 2 * across]!);
  };
  /** The longest run along `count` pixels from `first`, `along` apart, with gaps of up to RULE_GAP. */
  const longestRun = (first: number, count: number, along: number, across: number, last: boolean) => {
    let best = 0;
    let start = -1;
    let previous = -RULE_GAP - 2;
    for (let k = 0, i = first; k < count; k++, i += along) {
      if (!onRule(i, across, last)) continue;
      if (k - previous > RULE_GAP + 1) start = k;
      previous = k;
      best = Math.max(best, k - start + 1);
    }
    return best;
  };
  let across = 0;
  let down = 0;
  for (let y = 1; y + 1 < height; y++) across = Math.max(across, longestRun(y * width, width, 1, width, y + 2 >= height) / width);
  for (let x = 1; x + 1 < width; x++) down = Math.max(down, longestRun(x, height, width, 1, x + 2 >= width) / height);
  return { across, down };
}
