/**
 * The kind head: a logistic model over the classifier's log-probabilities (kind-head.json, trained by
 * training/hashtagnet/heads/kind_export.py on the real tuning images, chosen by grouped cross-validation) that may turn
 * the kind tree's answer into one other kind through the gates in its JSON (photo and drawing; screenshot to chart).
 */
import type { ImageKind } from './image-kind.js';
import kindHead from './kind-head.json' with { type: 'json' };

/** The kinds the head tells apart, in the order of its weights. */
export const HEAD_KINDS = ['photo', 'screenshot', 'document', 'chart', 'drawing', 'painting', 'map', 'diagram'] as const;
export type HeadKind = (typeof HEAD_KINDS)[number];

/** The head's kinds that the labelled sets file as drawings, weighed together against photo (the API's fold is fold-kind.ts). */
export const DRAWN: readonly HeadKind[] = ['drawing', 'painting', 'map', 'diagram'];

/** A gate: where the tree answered `from`, the head may answer `to` when `to` gets at least `bar` of the two kinds' joint probability. */
interface Gate {
  readonly from: ImageKind;
  readonly to: ImageKind;
  readonly bar: number;
}
const GATES: readonly Gate[] = kindHead.gates as Gate[];

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

/** The head's probability of each kind the tree answers: drawing, painting, map and diagram weigh together as drawing. */
function treeKindShares(head: Float64Array): Map<ImageKind, number> {
  const shares = new Map<ImageKind, number>();
  HEAD_KINDS.forEach((kind, k) => {
    const as: ImageKind = DRAWN.includes(kind) ? 'drawing' : kind;
    shares.set(as, (shares.get(as) ?? 0) + head[k]!);
  });
  return shares;
}

/**
 * The kind the tree's answer becomes: another kind where one of kind-head.json's gates lets the head say it (photo and
 * drawing either way at 0.8; a screenshot as a chart at 0.8: the bars chosen by cross-validation on the tuning
 * images), the likeliest such kind when several do. `model` is the served classifier's sha256: the head reads only the classifier it was trained on.
 */
export function decideKind(tree: ImageKind, probabilities: Float32Array, model: string): ImageKind {
  const gates = GATES.filter((gate) => gate.from === tree);
  if (gates.length === 0 || !kindHead.models.includes(model)) return tree;
  const shares = treeKindShares(kindHeadProbabilities(probabilities));
  let [said, best] = [tree, 0];
  for (const { to, bar } of gates) {
    const [mine, other] = [shares.get(tree) ?? 0, shares.get(to) ?? 0];
    const share = mine + other > 0 ? other / (mine + other) : 0;
    if (share >= bar && share > best) [said, best] = [to, share];
  }
  return said;
}
