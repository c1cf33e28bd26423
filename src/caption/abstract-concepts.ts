/**
 * Concepts too broad to say: those listed in too-abstract.json and, derived from the model's hierarchy, every ancestor
 * of one, except the basic-level words readers use (basic-level.json: "animal" lies above the listed "vertebrate").
 */
import type { Hierarchy } from '../bundle/hierarchy.js';
import { BASIC_LEVEL } from './basic-level.js';
import data from './too-abstract.json' with { type: 'json' };

/** The listed concepts alone (for callers without a hierarchy). */
export const LISTED_ABSTRACT: ReadonlySet<string> = new Set(Object.keys(data.concepts));

const derived = new WeakMap<Hierarchy, ReadonlySet<string>>();

const derivedForHedges = new WeakMap<Hierarchy, ReadonlySet<string>>();

/** Listed concepts plus all their ancestors in `hierarchy` but the basic-level words (computed once per hierarchy). */
export function tooAbstractConcepts(hierarchy: Hierarchy): ReadonlySet<string> {
  return abstractSet(hierarchy, derived, true);
}

/**
 * Listed concepts plus all their ancestors, basic-level words included: what the hedger's own label may not be. Summed
 * over hundreds of classes, "animal" reaches 0.83 on window blinds and "vertebrate" 0.71 on a dune (tuning part); a
 * named animal below its band may still be said as "an animal" (claims-by-kind.ts).
 */
export function tooAbstractToHedge(hierarchy: Hierarchy): ReadonlySet<string> {
  return abstractSet(hierarchy, derivedForHedges, false);
}

function abstractSet(hierarchy: Hierarchy, memo: WeakMap<Hierarchy, ReadonlySet<string>>, exemptBasic: boolean): ReadonlySet<string> {
  const known = memo.get(hierarchy);
  if (known) return known;
  const result = new Set(LISTED_ABSTRACT);
  const pending = hierarchy.ids.flatMap((id, node) => (LISTED_ABSTRACT.has(id) ? [node] : []));
  const seen = new Set(pending);
  while (pending.length > 0) {
    for (const parent of hierarchy.parents[pending.pop()!]!) {
      if (!seen.has(parent)) pending.push(parent);
      seen.add(parent);
      if (!exemptBasic || !BASIC_LEVEL.has(hierarchy.ids[parent]!)) result.add(hierarchy.ids[parent]!);
    }
  }
  memo.set(hierarchy, result);
  return result;
}
