/** The moderation use case: plan which models a request needs, run them on one decoded image, score and compose. */
import type { ImageSource } from '../image/image-source.js';
import { predictEach, type ServedModel } from '../models/served-model.js';
import { composeModeration, type ModerationResponse } from './compose-moderation.js';
import { modelsNeeded, type ModerationRequest } from './moderation-request.js';
import type { ModelKind } from './policy.js';
import type { ResolvedPolicy } from './resolve-policy.js';
import { scoreCategories } from './score-categories.js';

/** The resolved policy and the served model behind each model kind it draws on. */
export interface ModerationModels {
  readonly policy: ResolvedPolicy;
  readonly models: Readonly<Partial<Record<ModelKind, ServedModel<Float32Array>>>>;
}

/** The model kinds a request needs; throws ModerationRequestError for a bad request, so it can be refused before the body is read. */
export function planModeration(moderation: ModerationModels, request: ModerationRequest): ModelKind[] {
  return modelsNeeded(moderation.policy, request);
}

/** Scores and flags for one image under the policy and the request. */
export async function moderateImage(
  source: ImageSource,
  moderation: ModerationModels,
  request: ModerationRequest,
): Promise<ModerationResponse> {
  const kinds = planModeration(moderation, request);
  const outputs = await predictEach(
    kinds.map((kind) => moderation.models[kind]!),
    source.working,
    '/moderate',
  );
  const byKind = Object.fromEntries(kinds.map((kind, i) => [kind, outputs[i]!]));
  return composeModeration(moderation.policy, scoreCategories(moderation.policy, byKind, request), kinds);
}
