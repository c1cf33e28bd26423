/** The /moderate response body: the scored categories plus what an audit needs (policy version, models that answered). */
import type { ModelKind } from './policy.js';
import type { ResolvedPolicy } from './resolve-policy.js';
import type { CategoryResult, ModerationResult } from './score-categories.js';

export interface ModerationResponse {
  readonly flagged: boolean;
  readonly categories: readonly CategoryResult[];
  readonly policy: { readonly version: string };
  readonly models: readonly { readonly name: string; readonly version: string }[];
}

/** Attach the policy version and the name and version of each model that was run for this answer. */
export function composeModeration(policy: ResolvedPolicy, result: ModerationResult, ran: readonly ModelKind[]): ModerationResponse {
  const models = policy.models.filter((model) => ran.includes(model.kind)).map(({ name, version }) => ({ name, version }));
  return { flagged: result.flagged, categories: result.categories, policy: { version: policy.version }, models };
}
