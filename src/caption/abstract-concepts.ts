/** Concepts too broad to say: those listed in too-abstract.json and, derived from the model's hierarchy, every ancestor of one. */
import type { Hierarchy } from '../bundle/hierarchy.js';
import data from './too-abstract.json' with { type: 'json' };

/** The listed concepts alone (for callers without a hierarchy). */
export const LISTED_ABSTRACT: ReadonlySet<string> = new Set(Object.keys(data.concepts));

const derived = new WeakMap<Hierarchy, ReadonlySet<string>>();

/** Listed concepts plus all their ancestors in `hierarchy` (computed once per hierarchy). */
export function tooAbstractConcepts(hierarchy: Hierarchy): ReadonlySet<string> {
  const known = derived.get(hierarchy);
  if (known) return known;
  const result = new Set(LISTED_ABSTRACT);
  const pending = hierarchy.ids.flatMap((id, node) => (LISTED_ABSTRACT.has(id) ? [node] : []));
  while (pending.length > 0) {
    for (const parent of hierarchy.parents[pending.pop()!]!) {
      if (!result.has(hierarchy.ids[parent]!)) pending.push(parent);
      result.add(hierarchy.ids[parent]!);
    }
  }
  derived.set(hierarchy, result);
  return result;
}
