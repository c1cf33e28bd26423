/**
 * Claims by kind of image: the classifier is trained on photos, so a noun is said only from the score where its kind
 * of image and source showed it holds (claim-bands.json); below that, the broader word a reader uses, or nothing.
 */
import type { Hierarchy } from '../bundle/hierarchy.js';
import type { Detection } from '../models/detector.js';
import { BASIC_LEVEL, labelAs, nearestBasicLevel } from './basic-level.js';
import bands from './claim-bands.json' with { type: 'json' };
import { PERSON_ID } from './describe-scene.js';
import type { HedgedLabel } from './hedge.js';
import type { ImageKind } from './image-kind.js';

/** The kinds claims are measured and held by: a photo cut-out (transparent pixels), a photo, or drawn or rendered (every other kind). */
export type ClaimKind = 'photo' | 'cutout' | 'drawing';

interface Band {
  readonly classifier: number | null;
  readonly detector: number | null;
  readonly broader: boolean;
}

const BANDS: Readonly<Record<ClaimKind, Band>> = bands;

/**
 * The claim kind of an image: drawn or rendered unless it is a photo, and a photo with some transparent pixel a cut-out.
 * The cut-out bands were measured on photo cut-outs; clip art on transparency is held as a drawing (docs/alt-text-quality.md).
 */
export function claimKindOf(kind: ImageKind, transparent: boolean): ClaimKind {
  if (kind !== 'photo') return 'drawing';
  return transparent ? 'cutout' : 'photo';
}

/** Whether a noun from this source at this score may be said on this kind of image. */
export function nounHolds(claimKind: ClaimKind, source: 'classifier' | 'detector', score: number): boolean {
  const from = BANDS[claimKind][source];
  return from !== null && score >= from;
}

/** The nearest basic-level concept strictly above `id` (every parent's line, breadth-first), or undefined. */
function broaderWord(hierarchy: Hierarchy, id: string): string | undefined {
  return nearestBasicLevel(hierarchy, id, BASIC_LEVEL, true);
}

/** The label held to its kind's band: itself, else the basic-level word strictly above it, else the root. */
export function labelByKind(label: HedgedLabel, claimKind: ClaimKind, hierarchy: Hierarchy, concepts: Float64Array): HedgedLabel {
  if (label.isRoot || nounHolds(claimKind, 'classifier', label.score)) return label;
  const id = (BANDS[claimKind].broader ? broaderWord(hierarchy, label.id) : undefined) ?? hierarchy.ids[hierarchy.root]!;
  return labelAs(id, label, hierarchy, concepts);
}

/**
 * Non-person detections held to their kind's band: as detected when a box of their class holds it, or where the label
 * held lies under the class (two models agree; `agreeing` is that label's path), else renamed to the broader word above
 * the class, else dropped.
 */
export function detectionsByKind(
  detections: readonly Detection[],
  claimKind: ClaimKind,
  hierarchy: Hierarchy,
  agreeing: readonly string[] = [],
): Detection[] {
  // A box of a class that another box of the image holds is that class too: twelve boats with one sure box are boats,
  // not "vehicles and a boat".
  const held = new Set(detections.filter((d) => nounHolds(claimKind, 'detector', d.score)).map((d) => d.id));
  return detections.flatMap((d) => {
    if (d.id === PERSON_ID || held.has(d.id)) return [d];
    if (BANDS[claimKind].broader && agreeing.includes(d.id)) return [d];
    const above = BANDS[claimKind].broader && hierarchy.ids.includes(d.id) ? broaderWord(hierarchy, d.id) : undefined;
    return above ? [{ ...d, id: above, name: BASIC_LEVEL.get(above)! }] : [];
  });
}
