/**
 * The kind head: a logistic model over the classifier's log-probabilities (kind-head.json, trained by
 * training/hashtagnet/heads/kind_export.py on the real tuning images, chosen by grouped cross-validation) that decides
 * photo vs drawing where the kind tree answered either; the tree keeps its screenshot, document and chart answers.
 */
import type { ImageKind } from './image-kind.js';
import kindHead from './kind-head.json' with { type: 'json' };

/** The kinds the head tells apart, in the order of its weights. */
export const HEAD_KINDS = ['photo', 'screenshot', 'document', 'chart', 'drawing', 'painting', 'map', 'diagram'] as const;
export type HeadKind = (typeof HEAD_KINDS)[number];

/** The head's kinds that the labelled sets file as drawings, weighed together against photo (the API's fold is fold-kind.ts). */
export const DRAWN: readonly HeadKind[] = ['drawing', 'painting', 'map', 'diagram'];

/** The tree's answers the head may overrule, and what it may answer instead. */
const GATED: readonly ImageKind[] = kindHead.gated as ImageKind[];

const weights = kindHead.weight.map((row) => Float64Array.from(row));

/** The head's probability of each of HEAD_KINDS for the classifier's probabilities (in manifest class order). */
export function kindHeadProbabilities(probabilities: Float32Array): Float64Array {
  if (probabilities.length !== kindHead.classes)
    throw new Error(`kind head wants ${kindHead.classes} class probabilities, got ${probabilities.length}`);
  const scores = Float64Array.from(kindHead.bias);
  for (let c = 0; c < probabilities.length; c++) {
    const x = Math.log(Math.max(probabilities[c]!, kindHead.floor));
    for (let k = 0; k < scores.length; k++) scores[k] = scores[k]! + x * weights[k]![c]!;
  }
  const top = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - top));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / sum);
}

/**
 * The API kind the tree's answer becomes: where the tree said photo or drawing, the other of the two when the head
 * gives it at least `bar` of their joint probability (0.8, chosen by cross-validation on the tuning images). `model` is the served classifier's sha256: the head reads only the classifier it was trained on.
 */
export function decideKind(tree: ImageKind, probabilities: Float32Array, model: string): ImageKind {
  if (!GATED.includes(tree) || !kindHead.models.includes(model)) return tree;
  const head = kindHeadProbabilities(probabilities);
  let photo = 0;
  let drawing = 0;
  HEAD_KINDS.forEach((kind, k) => {
    if (kind === 'photo') photo += head[k]!;
    else if (DRAWN.includes(kind)) drawing += head[k]!;
  });
  const other = tree === 'photo' ? drawing : photo;
  return other / (photo + drawing) >= kindHead.bar ? (tree === 'photo' ? 'drawing' : 'photo') : tree;
}
