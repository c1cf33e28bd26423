/**
 * The scene head: logistic models over the classifier's log-probabilities (scene-head.json, trained by
 * training/hashtagnet/heads/scene_fit.py on photos weakly labelled by their file names through WordNet) that name a
 * photo's scene where the gathered place classes (place-scene.ts) name none: today only "a landscape", the one concept
 * that held precision 0.9 on the tuning photos (corpus/README.md, "Scene head on weak labels").
 */
import type { PlaceScene } from './place-scene.js';
import sceneHead from './scene-head.json' with { type: 'json' };

/** One concept's model: the scene synset that names it, its threshold, and its weights over the log-probabilities. */
interface HeadEntry {
  readonly concept: string;
  readonly id: string;
  readonly from: number;
  readonly bias: number;
  readonly weight: readonly number[];
}

const HEADS: readonly HeadEntry[] = sceneHead.heads;

/** The probability of each head's concept for the classifier's probabilities (in manifest class order). */
export function sceneHeadProbabilities(probabilities: Float32Array): number[] {
  if (probabilities.length !== sceneHead.classes)
    throw new Error(`scene head wants ${sceneHead.classes} class probabilities, got ${probabilities.length}`);
  return HEADS.map(({ bias, weight }) => {
    let z = bias;
    for (let c = 0; c < probabilities.length; c++) z += Math.log(Math.max(probabilities[c]!, sceneHead.floor)) * weight[c]!;
    return 1 / (1 + Math.exp(-z));
  });
}

/**
 * The likeliest head concept at or above its threshold, as a scene with no best class: place-scene.ts sceneSaysMore
 * then lets it replace only a label that says nothing (the root, or a concept too abstract to say), never a noun;
 * undefined when none reaches its threshold, or when `model` (the served classifier's sha256) is not one the head was
 * trained on.
 */
export function headScene(probabilities: Float32Array, model: string): PlaceScene | undefined {
  if (!sceneHead.models.includes(model)) return undefined;
  const scores = sceneHeadProbabilities(probabilities);
  let found: PlaceScene | undefined;
  HEADS.forEach((head, k) => {
    if (scores[k]! >= head.from && scores[k]! > (found?.score ?? 0)) found = { id: head.id, score: scores[k]!, best: '', weak: true };
  });
  return found;
}
