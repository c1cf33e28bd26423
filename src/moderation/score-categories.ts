/** Turn model probabilities into per-category scores and flags under a resolved policy and a request. */
import { selectCategories, type ModerationRequest } from './moderation-request.js';
import type { ModelKind } from './policy.js';
import type { ResolvedPolicy } from './resolve-policy.js';

/** One image's probability vectors, by the model that produced them. */
export type ModelOutputs = Partial<Record<ModelKind, Float32Array>>;

export interface CategoryResult {
  readonly id: string;
  readonly name: string;
  readonly parent: string;
  readonly score: number;
  readonly threshold: number;
  readonly flagged: boolean;
}

export interface ModerationResult {
  readonly flagged: boolean;
  readonly categories: readonly CategoryResult[];
}

/** Sum of the probabilities at the given output indices (mutually exclusive classes, so a probability). */
export function sumAt(probabilities: Float32Array, indices: Int32Array): number {
  let total = 0;
  for (const index of indices) {
    const p = probabilities[index];
    if (p === undefined) throw new RangeError(`class index ${index} is outside a ${probabilities.length}-way output`);
    total += p;
  }
  return Math.min(1, total);
}

/** Score every requested category; flagged when its score reaches its threshold. Throws ModerationRequestError on a bad request. */
export function scoreCategories(policy: ResolvedPolicy, outputs: ModelOutputs, request: ModerationRequest = {}): ModerationResult {
  const categories = selectCategories(policy, request).map(({ category, threshold }): CategoryResult => {
    const probabilities = outputs[category.model];
    if (!probabilities) throw new Error(`category '${category.id}' needs the ${category.model} model's output`);
    const score = sumAt(probabilities, category.indices);
    return { id: category.id, name: category.name, parent: category.parent, score, threshold, flagged: score >= threshold };
  });
  return { flagged: categories.some((category) => category.flagged), categories };
}
