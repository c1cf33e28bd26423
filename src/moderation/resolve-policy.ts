/** Bind a policy to the models that are loaded: each category becomes a set of output indices, or unsupported. */
import { PolicyError, type CaptionSource, type ModelKind, type ModerationPolicy, type PolicyCategory } from './policy.js';

/** The parts of a model manifest (model.json) the policy needs; a loaded Manifest fits this shape. */
export interface ModelDescription {
  readonly name: string;
  readonly version: string;
  readonly classes: readonly { readonly id: string; readonly name: string }[];
  readonly hierarchy?: { readonly nodes: readonly { readonly id: string; readonly parents: readonly string[] }[] };
}

export type ModerationModels = Partial<Record<ModelKind, ModelDescription>>;

export interface ResolvedCategory {
  readonly id: string;
  readonly name: string;
  readonly parent: string;
  readonly model: ModelKind;
  /** Output indices whose probabilities are summed. */
  readonly indices: Int32Array;
  /** The class ids behind `indices`, for start-up logs and audits. */
  readonly classIds: readonly string[];
  readonly threshold: number;
  readonly bounds: { readonly min: number; readonly max: number };
}

export interface ResolvedPolicy {
  readonly version: string;
  readonly categories: readonly ResolvedCategory[];
  /** Categories left out of every response, and why. */
  readonly unsupported: readonly { readonly id: string; readonly reason: string }[];
  /** The models categories draw on: reported with each response. */
  readonly models: readonly { readonly kind: ModelKind; readonly name: string; readonly version: string }[];
}

/** Every node at or above each node of the hierarchy (itself included). */
function ancestorSets(model: ModelDescription): Map<string, Set<string>> {
  const parents = new Map((model.hierarchy?.nodes ?? []).map((node) => [node.id, node.parents]));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string, path: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    if (path.has(id)) throw new Error(`hierarchy of ${model.name} has a cycle through ${id}`);
    path.add(id);
    const result = new Set([id]);
    for (const parent of parents.get(id) ?? []) for (const a of visit(parent, path)) result.add(a);
    path.delete(id);
    memo.set(id, result);
    return result;
  };
  for (const cls of model.classes) visit(cls.id, new Set());
  return memo;
}

function captionIndices(source: CaptionSource, model: ModelDescription, ancestors: Map<string, Set<string>>): number[] {
  const roots = (source.subtrees ?? []).map((ref) => ref.id);
  const listed = new Set((source.classes ?? []).map((ref) => ref.id));
  const excluded = new Set((source.exclude ?? []).map((ref) => ref.id));
  return model.classes.flatMap((cls, index) => {
    const above = ancestors.get(cls.id) ?? new Set([cls.id]);
    const included = listed.has(cls.id) || roots.some((root) => above.has(root));
    return included && !excluded.has(cls.id) ? [index] : [];
  });
}

function nsfwIndices(classes: readonly string[], model: ModelDescription, file: string, category: string): number[] {
  return classes.map((id) => {
    const index = model.classes.findIndex((cls) => cls.id === id);
    if (index < 0) {
      const known = model.classes.map((cls) => cls.id).join(', ');
      throw new PolicyError(file, [`category '${category}' sums nsfw class '${id}', which ${model.name} lacks (it has ${known})`]);
    }
    return index;
  });
}

function resolveCategory(category: PolicyCategory, model: ModelDescription, indices: number[]): ResolvedCategory {
  return Object.freeze({
    id: category.id,
    name: category.name,
    parent: category.parent,
    model: category.source.model,
    indices: Int32Array.from(indices),
    classIds: indices.map((index) => model.classes[index]!.id),
    threshold: category.threshold,
    bounds: category.threshold_bounds,
  });
}

/** Resolve every category against the loaded models; categories whose model is absent or has none of their classes are unsupported. */
export function resolvePolicy(policy: ModerationPolicy, models: ModerationModels, file = '(policy)'): ResolvedPolicy {
  const categories: ResolvedCategory[] = [];
  const unsupported: { id: string; reason: string }[] = [];
  const ancestors = models.caption ? ancestorSets(models.caption) : new Map<string, Set<string>>();
  for (const category of policy.categories) {
    const source = category.source;
    const model = models[source.model];
    if (!model) {
      unsupported.push({ id: category.id, reason: `no ${source.model} model is loaded` });
      continue;
    }
    const indices =
      source.model === 'nsfw' ? nsfwIndices(source.classes, model, file, category.id) : captionIndices(source, model, ancestors);
    if (indices.length === 0) unsupported.push({ id: category.id, reason: `${model.name} has none of its classes` });
    else categories.push(resolveCategory(category, model, indices));
  }
  const kinds = [...new Set(categories.map((category) => category.model))];
  const used = kinds.map((kind) => ({ kind, name: models[kind]!.name, version: models[kind]!.version }));
  return Object.freeze({ version: policy.version, categories, unsupported, models: used });
}
