/** POST /moderate: check the request against the policy -> receive -> decode once -> resize per model -> infer -> score -> compose. */
import type { RequestHandler } from 'express';
import type { ModelBundle } from '../bundle/load-bundle.js';
import type { Config } from '../config.js';
import type { components, operations } from '../generated/api.js';
import type { RawImage } from '../image/decode.js';
import { resizeForModel } from '../image/resize.js';
import type { ServiceMetrics } from '../http/metrics.js';
import { operationValidator } from '../http/validate-request.js';
import { composeModeration } from '../moderation/compose-moderation.js';
import { modelsNeeded, type ModerationRequest } from '../moderation/moderation-request.js';
import type { ModelKind } from '../moderation/policy.js';
import type { ResolvedPolicy } from '../moderation/resolve-policy.js';
import { scoreCategories, type ModelOutputs } from '../moderation/score-categories.js';
import { inferEachOrOverload } from '../pipeline/infer.js';
import { readImage } from '../pipeline/read-image.js';
import type { InferencePool } from '../runtime/inference-pool.js';

type ModerateQuery = NonNullable<operations['moderate']['parameters']['query']>;
type ModerationResponse = components['schemas']['ModerationResponse'];

export interface ModerateDeps {
  readonly config: Config;
  readonly metrics: ServiceMetrics;
  readonly pool: () => InferencePool;
  readonly policy: ResolvedPolicy;
  /** The loaded bundle behind each model kind the policy can draw on. */
  readonly bundles: Readonly<Partial<Record<ModelKind, ModelBundle>>>;
  readonly workingShorterSide: number;
}

const validator = operationValidator<ModerateQuery>('/moderate', 'post');

/** Resize the one decoded image for each model, then run them side by side through the shared pool. */
async function inferModels(deps: ModerateDeps, image: RawImage, kinds: readonly ModelKind[]): Promise<ModelOutputs> {
  const manifests = kinds.map((kind) => deps.bundles[kind]!.manifest);
  const inputs = await Promise.all(
    manifests.map(async (manifest) => ({ model: manifest.name, pixels: await resizeForModel(image, manifest.input) })),
  );
  const outputs = await inferEachOrOverload(deps.pool(), inputs, '/moderate');
  return Object.fromEntries(kinds.map((kind, i) => [kind, outputs[i]!]));
}

/** The /moderate handler for one resolved policy. */
export function moderateHandler(deps: ModerateDeps): RequestHandler {
  const { config, metrics, policy } = deps;
  for (const { kind } of policy.models) if (!deps.bundles[kind]) throw new Error(`the policy needs a ${kind} model`);
  return async (req, res) => {
    const query = validator.query(req.query);
    const request: ModerationRequest = { categories: query.categories, thresholds: query.thresholds };
    const kinds = modelsNeeded(policy, request); // a bad request is refused before the body is read
    const image = await readImage(req, { config, metrics, contentTypes: validator.contentTypes, workingShorterSide: deps.workingShorterSide });
    const outputs = await inferModels(deps, image, kinds);
    const answer = composeModeration(policy, scoreCategories(policy, outputs, request), kinds);
    const body: ModerationResponse = { ...answer, categories: [...answer.categories], models: [...answer.models] };
    res.json(body);
  };
}
