/**
 * Text in a photo: auto mode reads an image's text when it looks rendered or shows a thing that carries text (see
 * worthReading); a photo that did not qualify is looked at by the text detector once its kind is known, and its text
 * is read only where the detector is sure of a region. Each line must then pass the scene rules of text-plausibility.ts.
 */
import type { ImageSource } from '../image/image-source.js';
import type { ReadText, TextReader } from '../models/text-reader.js';

/** A region the detector marks with at least this mean probability is read; DB's own floor (0.5) lets shadows and foliage through. */
const SCENE_REGION_SCORE = 0.7;

/** The photo's scene text, or undefined when the detector is sure of no region or no line reads as text. */
export async function readSceneText(reader: TextReader, source: ImageSource, origin: string): Promise<ReadText | undefined> {
  const regions = (await reader.detect(source, origin)).filter((r) => r.score >= SCENE_REGION_SCORE);
  if (regions.length === 0) return undefined;
  const read = await reader.read(source, regions, origin, true);
  return read.lines.length > 0 ? read : undefined;
}
