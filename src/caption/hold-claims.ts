/**
 * Claims at a stated precision: a concept the alt-text would name is said only where its precision, measured on the
 * tuning part (concept-precision.json), holds; otherwise the nearest broader concept whose precision holds, else nothing.
 */
import type { Hierarchy } from '../bundle/hierarchy.js';
import type { Detection } from '../models/detector.js';
import { BASIC_LEVEL, firstParentPath, nearestBasicLevel } from './basic-level.js';
import measured from './concept-precision.json' with { type: 'json' };
import { PERSON_ID } from './describe-scene.js';
import type { HedgedLabel } from './hedge.js';

/** Where a claim comes from: the hedged classifier label, or a detector class. */
export type ClaimSource = 'classifier' | 'detector';

export interface Tally {
  readonly n: number;
  readonly right: number;
}

/** The measured figures and the rule's settings (concept-precision.json's shape). */
export interface ConceptPrecision {
  readonly rule: {
    /** Precision a concept must reach to be said. */
    readonly target: number;
    /** A concept's own figure counts from this many judgements; below it, the pooled figure of its kind of claim. */
    readonly min_support: number;
    /** Lower edges of the score bands of the pooled figures, per source, highest first. */
    readonly bands: Readonly<Record<ClaimSource, readonly number[]>>;
  };
  /** Per concept: how often it was said or was the broader concept of one said, and how often it was right. */
  readonly concepts: Readonly<Record<string, Tally & { readonly name?: string }>>;
  /** Pooled over concepts: `${source}:${band}` for the concept said, `${source}:broader` for every concept above one. */
  readonly pooled: Readonly<Record<string, Tally>>;
}

export const CONCEPT_PRECISION = measured as ConceptPrecision;

/** The lower edge of the score band a claim falls in (the lowest band when below all). */
export function bandOf(table: ConceptPrecision, source: ClaimSource, score: number): number {
  const bands = table.rule.bands[source];
  return bands.find((edge) => score >= edge) ?? bands.at(-1)!;
}

const share = (t: Tally | undefined) => (t && t.n > 0 ? t.right / t.n : undefined);

/** The precision the rule expects of one concept: its own where well supported, else its kind of claim's pooled figure. */
export function expectedPrecision(table: ConceptPrecision, id: string, source: ClaimSource, score: number, broader: boolean): number {
  const own = table.concepts[id];
  if (own && own.n >= table.rule.min_support) return own.right / own.n;
  return share(table.pooled[broader ? `${source}:broader` : `${source}:${bandOf(table, source, score)}`]) ?? 0;
}

/**
 * The index in `path` (root first, the claim last) of the most specific concept whose expected precision holds, or
 * undefined when none does below the first concept too abstract to say.
 */
export function heldIndex(
  table: ConceptPrecision,
  path: readonly string[],
  source: ClaimSource,
  score: number,
  tooAbstract: ReadonlySet<string>,
): number | undefined {
  for (let i = path.length - 1; i > 0; i--) {
    if (tooAbstract.has(path[i]!)) return undefined;
    if (expectedPrecision(table, path[i]!, source, score, i < path.length - 1) >= table.rule.target) return i;
  }
  return undefined;
}

/** The hedged label held to the precision: itself, a broader concept on its path, or the root (nothing said). */
export function holdLabel(
  label: HedgedLabel,
  hierarchy: Hierarchy,
  concepts: Float64Array,
  tooAbstract: ReadonlySet<string>,
  table = CONCEPT_PRECISION,
): HedgedLabel {
  if (label.isRoot) return label;
  const at = heldIndex(table, label.path, 'classifier', label.score, tooAbstract) ?? 0;
  if (at === label.path.length - 1) return label;
  const node = hierarchy.ids.indexOf(label.path[at]!);
  return {
    id: hierarchy.ids[node]!,
    name: hierarchy.names[node]!,
    score: Math.min(1, concepts[node]!),
    path: label.path.slice(0, at + 1),
    isRoot: node === hierarchy.root,
  };
}

/** Non-person detections held to the precision: renamed to the basic-level word above the broader concept that holds where the class's does not, dropped where none does. */
export function holdDetections(
  detections: readonly Detection[],
  hierarchy: Hierarchy,
  tooAbstract: ReadonlySet<string>,
  table = CONCEPT_PRECISION,
  words = BASIC_LEVEL,
): Detection[] {
  return detections.flatMap((d) => {
    if (d.id === PERSON_ID) return [d];
    const path = firstParentPath(hierarchy, d.id);
    if (!path) return [d];
    const held = heldIndex(table, path, 'detector', d.score, tooAbstract);
    if (held === undefined) return [];
    if (held === path.length - 1) return [d];
    const word = nearestBasicLevel(hierarchy, path[held]!, words);
    return word === undefined ? [] : [{ ...d, id: word, name: words.get(word)! }];
  });
}
