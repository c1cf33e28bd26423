/**
 * Lines that may be upside down (a photo or page stored upside down, a sign seen from across a table): read as stored
 * they give junk the recogniser is unsure of, so such a line is read again turned a half turn and the reading kept by
 * the rule below (docs/alt-text-quality.md, "Upside-down lines"; measured by scripts/measure-upside-down-text.ts).
 */
import type { RecognisedLine } from './text-recognizer.js';

/** A horizontal line read with a mean character probability below this is read upside down too. */
export const UPSIDE_DOWN_BELOW = 0.9;
/** ...and the upside-down reading replaces it only when it is surer, and at least this sure. */
export const UPSIDE_DOWN_KEPT_FROM = 0.9;

/**
 * Whether a line's upside-down reading replaces the upright one: surer, sure in itself, and with at least three letters,
 * since digits read turned are digits still ("1000" as "0001", "89" as "68") and single letters are what icons give.
 */
export function upsideDownHolds(upsideDown: RecognisedLine, upright: RecognisedLine): boolean {
  const letters = upsideDown.text.match(/\p{L}/gu)?.length ?? 0;
  return upsideDown.score > upright.score && upsideDown.score >= UPSIDE_DOWN_KEPT_FROM && letters >= 3;
}
