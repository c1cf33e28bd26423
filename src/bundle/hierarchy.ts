/** The model's WordNet hierarchy as index arrays: which classes lie below each concept. */
import type { Manifest } from './manifest.js';

export interface Hierarchy {
  readonly root: number;
  readonly ids: readonly string[];
  /** Display names: the class name for classes, the hierarchy name for inner concepts. */
  readonly names: readonly string[];
  readonly parents: readonly (readonly number[])[];
  /** Output indices of the classes at or below each node (each class once, even through two parents). */
  readonly leaves: readonly Int32Array[];
  /** Longest distance from the root. */
  readonly depth: readonly number[];
}

function indexNodes(manifest: Manifest) {
  const nodes = manifest.hierarchy?.nodes ?? [];
  const index = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (index.has(node.id)) throw new Error(`hierarchy lists ${node.id} twice`);
    index.set(node.id, i);
  });
  const parents = nodes.map((node) =>
    node.parents.map((id) => {
      const parent = index.get(id);
      if (parent === undefined) throw new Error(`hierarchy: ${node.id} has unknown parent ${id}`);
      return parent;
    }),
  );
  return { nodes, index, parents };
}

/** Parents before children; throws on a cycle. */
function topologicalOrder(parents: number[][], root: number): number[] {
  const children: number[][] = parents.map(() => []);
  const pending = parents.map((list) => list.length);
  parents.forEach((list, child) => list.forEach((parent) => children[parent]!.push(child)));
  const order: number[] = [];
  const ready = parents.flatMap((list, i) => (list.length === 0 ? [i] : []));
  if (ready.length !== 1 || ready[0] !== root) throw new Error('hierarchy: the root must be the only node without parents');
  while (ready.length > 0) {
    const node = ready.pop()!;
    order.push(node);
    for (const child of children[node]!) if (--pending[child]! === 0) ready.push(child);
  }
  if (order.length !== parents.length) throw new Error('hierarchy: the hypernym graph has a cycle');
  return order;
}

function collectLeaves(parents: number[][], classNodes: number[]): Int32Array[] {
  const lists: number[][] = parents.map(() => []);
  classNodes.forEach((start, classIndex) => {
    const seen = new Set<number>([start]);
    const stack = [start];
    while (stack.length > 0) {
      const node = stack.pop()!;
      lists[node]!.push(classIndex);
      for (const parent of parents[node]!) if (!seen.has(parent)) seen.add(parent), stack.push(parent);
    }
  });
  return lists.map((list) => Int32Array.from(list));
}

/** Build the index form of a caption manifest's hierarchy; throws when the graph is inconsistent. */
export function buildHierarchy(manifest: Manifest): Hierarchy {
  if (!manifest.hierarchy) throw new Error('caption manifest has no hierarchy');
  const { nodes, index, parents } = indexNodes(manifest);
  const root = index.get(manifest.hierarchy.root);
  if (root === undefined) throw new Error(`hierarchy root ${manifest.hierarchy.root} is not a node`);
  const order = topologicalOrder(parents, root);
  const depth = new Array<number>(nodes.length).fill(0);
  for (const node of order) for (const parent of parents[node]!) depth[node] = Math.max(depth[node]!, depth[parent]! + 1);
  const names = nodes.map((node) => node.name);
  const classNodes = manifest.classes.map((cls) => {
    const node = index.get(cls.id);
    if (node === undefined) throw new Error(`class ${cls.id} is missing from the hierarchy`);
    names[node] = cls.name;
    return node;
  });
  return Object.freeze({
    root,
    ids: nodes.map((node) => node.id),
    names,
    parents,
    leaves: collectLeaves(parents, classNodes),
    depth,
  });
}
