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

/** Listed concepts plus all their ancestors in `hierarchy` but the basic-level words (computed once per hierarchy). */
export function tooAbstractConcepts(hierarchy: Hierarchy): ReadonlySet<string> {
  const known = derived.get(hierarchy);
  if (known) return known;
  const result = new Set(LISTED_ABSTRACT);
  const pending = hierarchy.ids.flatMap((id, node) => (LISTED_ABSTRACT.has(id) ? [node] : []));
  const seen = new Set(pending);
  while (pending.length > 0) {
    for (const parent of hierarchy.parents[pending.pop()!]!) {
      if (!seen.has(parent)) pending.push(parent);
      seen.add(parent);
      if (!BASIC_LEVEL.has(hierarchy.ids[parent]!)) result.add(hierarchy.ids[parent]!);
    }
  }
  derived.set(hierarchy, result);
  return result;
}
