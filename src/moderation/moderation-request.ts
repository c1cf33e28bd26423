/** A request's choice of categories and threshold overrides, checked against the resolved policy. */
import type { ResolvedCategory, ResolvedPolicy } from './resolve-policy.js';

export interface ModerationRequest {
  /** A subset of the policy's category ids; all supported categories when absent. */
  readonly categories?: readonly string[];
  /** Per-category thresholds, each within the category's threshold_bounds. */
  readonly thresholds?: Readonly<Record<string, number>>;
}

export type ModerationRequestProblem =
  | 'no_categories'
  | 'unknown_category'
  | 'unsupported_category'
  | 'threshold_not_requested'
  | 'invalid_threshold'
  | 'threshold_out_of_bounds';

/** The client asked for something the policy does not allow; the route maps it to a 400 (invalid_request). */
export class ModerationRequestError extends Error {
  constructor(
    readonly problem: ModerationRequestProblem,
    readonly category: string | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = 'ModerationRequestError';
  }
}

export interface SelectedCategory {
  readonly category: ResolvedCategory;
  readonly threshold: number;
}

function unavailable(policy: ResolvedPolicy, id: string): ModerationRequestError {
  const unsupported = policy.unsupported.find((entry) => entry.id === id);
  if (unsupported) {
    return new ModerationRequestError('unsupported_category', id, `category '${id}' is not available here: ${unsupported.reason}`);
  }
  const known = policy.categories.map((category) => category.id).join(', ');
  return new ModerationRequestError('unknown_category', id, `unknown category '${id}' (policy ${policy.version} has ${known})`);
}

function pickCategories(policy: ResolvedPolicy, ids: readonly string[] | undefined): ResolvedCategory[] {
  if (ids === undefined) return [...policy.categories];
  if (ids.length === 0) throw new ModerationRequestError('no_categories', undefined, 'categories is empty: name at least one');
  const wanted = new Set(ids);
  for (const id of wanted) if (!policy.categories.some((category) => category.id === id)) throw unavailable(policy, id);
  return policy.categories.filter((category) => wanted.has(category.id));
}

function pickThreshold(category: ResolvedCategory, override: number | undefined): number {
  if (override === undefined) return category.threshold;
  if (typeof override !== 'number' || !Number.isFinite(override)) {
    throw new ModerationRequestError('invalid_threshold', category.id, `threshold for '${category.id}' must be a number`);
  }
  const { min, max } = category.bounds;
  if (override < min || override > max) {
    throw new ModerationRequestError(
      'threshold_out_of_bounds',
      category.id,
      `threshold ${override} for '${category.id}' is outside the policy's bounds [${min}, ${max}]`,
    );
  }
  return override;
}

/** The categories a request will be answered with, each with its effective threshold, in policy order. */
export function selectCategories(policy: ResolvedPolicy, request: ModerationRequest = {}): SelectedCategory[] {
  const chosen = pickCategories(policy, request.categories);
  const overrides = request.thresholds ?? {};
  for (const id of Object.keys(overrides)) {
    if (chosen.some((category) => category.id === id)) continue;
    if (!policy.categories.some((category) => category.id === id)) throw unavailable(policy, id);
    throw new ModerationRequestError('threshold_not_requested', id, `threshold given for '${id}', which the request does not ask for`);
  }
  return chosen.map((category) => ({ category, threshold: pickThreshold(category, overrides[category.id]) }));
}

/** The models a request's categories draw on, in policy order: run only these (validates the request first). */
export function modelsNeeded(policy: ResolvedPolicy, request: ModerationRequest = {}): ResolvedCategory['model'][] {
  return [...new Set(selectCategories(policy, request).map(({ category }) => category.model))];
}
