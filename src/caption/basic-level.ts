/** Broader words a reader uses: a claim above the model's classes is said as the nearest basic-level concept at or above it (basic-level.json). */
import type { Hierarchy } from '../bundle/hierarchy.js';
import data from './basic-level.json' with { type: 'json' };
import type { HedgedLabel } from './hedge.js';

/** Basic-level concepts and their English words ("n02084071" -> "dog"). */
export const BASIC_LEVEL: ReadonlyMap<string, string> = new Map(Object.entries(data.concepts));

const classNodes = new WeakMap<Hierarchy, ReadonlySet<number>>();

/** The hierarchy's leaves, which are the model's classes (computed once per hierarchy). */
function leavesOf(hierarchy: Hierarchy): ReadonlySet<number> {
  const known = classNodes.get(hierarchy);
  if (known) return known;
  const inner = new Set(hierarchy.parents.flat());
  const leaves = new Set(hierarchy.ids.flatMap((_, node) => (inner.has(node) ? [] : [node])));
  classNodes.set(hierarchy, leaves);
  return leaves;
}

/** Whether a concept is one of the model's classes (a leaf of its hierarchy), which is said by its own name. */
export function isModelClass(hierarchy: Hierarchy, id: string): boolean {
  return leavesOf(hierarchy).has(hierarchy.ids.indexOf(id));
}

/** Root-to-node path through each concept's first parent. */
export function firstParentPath(hierarchy: Hierarchy, id: string): string[] | undefined {
  let node = hierarchy.ids.indexOf(id);
  if (node < 0) return undefined;
  const path = [id];
  while (node !== hierarchy.root) {
    node = hierarchy.parents[node]![0]!;
    path.push(hierarchy.ids[node]!);
  }
  return path.reverse();
}

/** The nearest concept at (unless `strictlyAbove`) or above `id`, breadth-first through every parent, that has a basic-level word. */
export function nearestBasicLevel(
  hierarchy: Hierarchy,
  id: string,
  words: ReadonlyMap<string, string> = BASIC_LEVEL,
  strictlyAbove = false,
): string | undefined {
  const start = hierarchy.ids.indexOf(id);
  if (start < 0) return undefined;
  const seen = new Set([start]);
  const first = strictlyAbove ? [...hierarchy.parents[start]!] : [start];
  for (const node of first) seen.add(node);
  for (let queue = first; queue.length > 0; ) {
    const node = queue.shift()!;
    if (node !== hierarchy.root && words.has(hierarchy.ids[node]!)) return hierarchy.ids[node]!;
    for (const parent of hierarchy.parents[node]!) if (!seen.has(parent)) queue.push(parent), seen.add(parent);
  }
  return undefined;
}

/** The label as a reader says it: a model class as it is, a broader concept as its nearest basic-level word, else the root (nothing). */
export function basicLevelLabel(label: HedgedLabel, hierarchy: Hierarchy, concepts: Float64Array): HedgedLabel {
  if (label.isRoot || isModelClass(hierarchy, label.id)) return label;
  return labelAs(nearestBasicLevel(hierarchy, label.id) ?? hierarchy.ids[hierarchy.root]!, label, hierarchy, concepts);
}

/** `label` said as the concept `id` (an ancestor of it, or the root): its basic-level name, its summed score, its path. */
export function labelAs(id: string, label: HedgedLabel, hierarchy: Hierarchy, concepts: Float64Array): HedgedLabel {
  const node = hierarchy.ids.indexOf(id);
  const at = label.path.indexOf(id);
  return {
    id,
    name: BASIC_LEVEL.get(id) ?? hierarchy.names[node]!,
    score: Math.min(1, concepts[node]!),
    path: at >= 0 ? label.path.slice(0, at + 1) : firstParentPath(hierarchy, id)!,
    isRoot: node === hierarchy.root,
  };
}
