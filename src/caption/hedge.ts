/** Hedging (Deng et al., CVPR 2012): the most specific concept whose probability reaches the precision target. */
import type { Hierarchy } from '../bundle/hierarchy.js';

export interface HedgedLabel {
  id: string;
  name: string;
  /** Sum of the probabilities of the classes below the concept. */
  score: number;
  /** Ids from the root down to the concept. */
  path: string[];
  isRoot: boolean;
}

/** Probability of every node: the sum over the distinct classes below it. */
export function conceptScores(hierarchy: Hierarchy, probabilities: Float32Array): Float64Array {
  const scores = new Float64Array(hierarchy.ids.length);
  hierarchy.leaves.forEach((leaves, node) => {
    let sum = 0;
    for (const classIndex of leaves) sum += probabilities[classIndex]!;
    scores[node] = sum;
  });
  return scores;
}

/** More specific: fewer classes below; then higher score, then deeper, then id order for determinism. */
function moreSpecific(hierarchy: Hierarchy, scores: Float64Array, a: number, b: number): boolean {
  const la = hierarchy.leaves[a]!.length;
  const lb = hierarchy.leaves[b]!.length;
  if (la !== lb) return la < lb;
  if (scores[a] !== scores[b]) return scores[a]! > scores[b]!;
  if (hierarchy.depth[a] !== hierarchy.depth[b]) return hierarchy.depth[a]! > hierarchy.depth[b]!;
  return hierarchy.ids[a]! < hierarchy.ids[b]!;
}

/** Root-to-node path, climbing through the most probable parent where a concept has several. */
function pathTo(hierarchy: Hierarchy, scores: Float64Array, node: number): string[] {
  const path = [hierarchy.ids[node]!];
  let current = node;
  while (current !== hierarchy.root) {
    const parents = hierarchy.parents[current]!;
    current = parents.reduce((best, parent) => (scores[parent]! > scores[best]! ? parent : best), parents[0]!);
    path.push(hierarchy.ids[current]!);
  }
  return path.reverse();
}

/** Choose the hedged label for one image's class probabilities. */
export function hedgeLabel(hierarchy: Hierarchy, probabilities: Float32Array, precisionTarget: number): HedgedLabel {
  return hedgeScores(hierarchy, conceptScores(hierarchy, probabilities), precisionTarget);
}

/** Choose the hedged label from concept scores already computed by conceptScores. */
export function hedgeScores(hierarchy: Hierarchy, scores: Float64Array, precisionTarget: number): HedgedLabel {
  let chosen = hierarchy.root; // the fallback when nothing else reaches the target
  for (let node = 0; node < scores.length; node++) {
    if (scores[node]! >= precisionTarget && moreSpecific(hierarchy, scores, node, chosen)) chosen = node;
  }
  return {
    id: hierarchy.ids[chosen]!,
    name: hierarchy.names[chosen]!,
    score: Math.min(1, scores[chosen]!),
    path: pathTo(hierarchy, scores, chosen),
    isRoot: chosen === hierarchy.root,
  };
}

export interface ScoredClass {
  id: string;
  name: string;
  score: number;
}

/** The k most probable classes, best first. */
export function topClasses(classes: readonly { id: string; name: string }[], probabilities: Float32Array, k: number): ScoredClass[] {
  // A running top k (insertion into a short sorted list), not a sort of every class: ties keep the lower index first,
  // as the stable sort did.
  const top: number[] = [];
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (top.length === k && p <= probabilities[top[k - 1]!]!) continue;
    let at = top.length;
    while (at > 0 && probabilities[top[at - 1]!]! < p) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top.map((i) => ({ id: classes[i]!.id, name: classes[i]!.name, score: probabilities[i]! }));
}
