/** The /moderate response body: the scored categories plus what an audit needs (policy version, models that answered). */
import type { components } from '../generated/api.js';
import type { ModelKind } from './policy.js';
import type { ResolvedPolicy } from './resolve-policy.js';
import type { ModerationResult } from './score-categories.js';

export type ModerationResponse = components['schemas']['ModerationResponse'];

/** Attach the policy version and the name and version of each model that was run for this answer. */
export function composeModeration(policy: ResolvedPolicy, result: ModerationResult, ran: readonly ModelKind[]): ModerationResponse {
  const models = policy.models.filter((model) => ran.includes(model.kind)).map(({ name, version }) => ({ name, version }));
  return {
    flagged: result.flagged,
    categories: result.categories.map((category) => ({ ...category })),
    policy: { version: policy.version },
    models,
  };
}
