/** Where a photo was taken: the classifier's place classes gathered into a few scenes (scenes.json, built from WordNet). */
import type { Hierarchy } from '../bundle/hierarchy.js';
import type { HedgedLabel } from './hedge.js';
import vocabulary from './scenes.json' with { type: 'json' };

/** The threshold a scene keeps without evidence for another (the one first chosen for all scenes: docs/alt-text-quality.md#scenes). */
export const SCENE_FROM = 0.7;

/** One scene of the vocabulary: its naming synset, its English phrase, its threshold and the class ids it gathers. */
export interface SceneEntry {
  readonly id: string;
  readonly english: string;
  /** Said when the summed probability of its classes reaches this (chosen per scene on the tuning part). */
  readonly from: number;
  readonly classes: readonly { readonly id: string }[];
}

export const SCENES: readonly SceneEntry[] = vocabulary.scenes;

/** A scene as a fact: its synset, its score, and the most probable class it gathered. */
export interface PlaceScene {
  readonly id: string;
  readonly score: number;
  readonly best: string;
  /** Named by the scene head (scene-head.ts) where the place classes named none: no surer than the fallback it replaces. */
  readonly weak?: true;
}

const indexes = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

const idLists = new WeakMap<readonly { id: string }[], readonly string[]>();

/** A model's class ids in output order, listed once per class list (so the index below is built once too). */
export function classIdsOf(classes: readonly { id: string }[]): readonly string[] {
  const known = idLists.get(classes);
  if (known) return known;
  const ids = classes.map((c) => c.id);
  idLists.set(classes, ids);
  return ids;
}

/** Class id to its output index, built once per class list (a model's list lives as long as the model). */
function classIndex(classIds: readonly string[]): ReadonlyMap<string, number> {
  const known = indexes.get(classIds);
  if (known) return known;
  const index = new Map(classIds.map((id, i) => [id, i]));
  indexes.set(classIds, index);
  return index;
}

/** Every scene's score for one image: the sum of its classes' probabilities (classes the model lacks count 0). */
export function sceneScores(
  classIds: readonly string[],
  probabilities: Float32Array,
  scenes: readonly SceneEntry[] = SCENES,
): PlaceScene[] {
  const index = classIndex(classIds);
  return scenes.map((scene) => {
    let score = 0;
    let best = { id: '', p: -1 };
    for (const { id } of scene.classes) {
      const p = probabilities[index.get(id) ?? -1] ?? 0;
      score += p;
      if (p > best.p) best = { id, p };
    }
    return { id: scene.id, score, best: best.id };
  });
}

const sceneSizes = new Map(SCENES.map((s) => [s.id, s.classes.length]));
const sceneFroms = new Map(SCENES.map((s) => [s.id, s.from]));

/**
 * The most specific scene (fewest classes, then most probable) whose score reaches its own threshold, or `from` for
 * every scene where given (a measurement's sweep), as hedging picks a concept; else undefined.
 */
export function placeScene(classIds: readonly string[], probabilities: Float32Array, from?: number): PlaceScene | undefined {
  const sure = sceneScores(classIds, probabilities).filter((s) => s.score >= (from ?? sceneFroms.get(s.id) ?? SCENE_FROM));
  return sure.sort((a, b) => sceneSizes.get(a.id)! - sceneSizes.get(b.id)! || b.score - a.score)[0];
}

/** True when the scene says more than the label: the label is too abstract to say, or a concept above the scene's best class. */
export function sceneSaysMore(scene: PlaceScene, label: HedgedLabel, hierarchy: Hierarchy, tooAbstract?: ReadonlySet<string>): boolean {
  if (label.isRoot || tooAbstract?.has(label.id)) return true;
  const node = hierarchy.ids.indexOf(label.id);
  const best = hierarchy.ids.indexOf(scene.best);
  if (node < 0 || best < 0 || node === best) return false;
  const leaves = hierarchy.leaves[node]!;
  return [...hierarchy.leaves[best]!].every((leaf) => leaves.includes(leaf));
}

/** The English phrase of a scene ("a coast"); undefined for a synset the vocabulary lacks. */
export function sceneEnglish(id: string): string | undefined {
  return SCENES.find((s) => s.id === id)?.english;
}
