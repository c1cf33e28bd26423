/** The moderation policy file: types, schema validation and cross-reference checks, done once at start-up. */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';
import type { PolicyDocument } from '../generated/policy.js';
import { projectPath } from '../project-root.js';

export const DEFAULT_POLICY_PATH = projectPath('policies', 'default.json');
const SCHEMA_PATH = projectPath('policies', 'policy.schema.json');

export type { CaptionSource, NsfwSource, WordnetRef } from '../generated/policy.js';

/** A policy file as its schema describes it (types generated from policies/policy.schema.json). */
export type ModerationPolicy = PolicyDocument;
export type PolicyCategory = PolicyDocument['categories'][number];
export type CategorySource = PolicyCategory['source'];
export type ModelKind = CategorySource['model'];

/** The policy file is unreadable, breaks the schema or contradicts itself; the message names the file. */
export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`moderation policy ${file}: ${problems.join('; ')}`);
    this.name = 'PolicyError';
  }
}

let validator: ReturnType<InstanceType<typeof Ajv2020.default>['compile']> | undefined;

function policyValidator() {
  if (!validator) {
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    ajv.addKeyword({ keyword: 'tsType', schemaType: 'string' }); // read by the type generator only
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  }
  return validator;
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath || '(top level)';
  const extra = error.keyword === 'additionalProperties' ? ` '${String(error.params.additionalProperty)}'` : '';
  return `${where} ${error.message ?? error.keyword}${extra}`;
}

function duplicates(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
}

function crossReferenceProblems(policy: ModerationPolicy): string[] {
  const problems: string[] = [];
  const parentIds = policy.parents.map((parent) => parent.id);
  for (const id of duplicates(parentIds)) problems.push(`parent id '${id}' is defined twice`);
  for (const id of duplicates(policy.categories.map((c) => c.id))) problems.push(`category id '${id}' is defined twice`);
  policy.categories.forEach((category, i) => {
    const where = `/categories/${i} ('${category.id}')`;
    const { min, max } = category.threshold_bounds;
    const source = category.source;
    if (source.model === 'caption' && !source.subtrees?.length && !source.classes?.length) {
      problems.push(`${where} caption source names no subtrees and no classes`);
    }
    if (!parentIds.includes(category.parent)) problems.push(`${where} names unknown parent '${category.parent}'`);
    if (min > max) problems.push(`${where} threshold_bounds min ${min} is above max ${max}`);
    if (category.threshold < min || category.threshold > max) {
      problems.push(`${where} threshold ${category.threshold} lies outside its bounds [${min}, ${max}]`);
    }
  });
  return problems;
}

/** Validate a parsed policy document (schema, then cross-references); `file` names it in errors. */
export function parsePolicy(document: unknown, file: string): ModerationPolicy {
  const validate = policyValidator();
  if (!validate(document)) {
    throw new PolicyError(file, (validate.errors ?? []).map(describeSchemaError));
  }
  const policy = document as ModerationPolicy;
  const problems = crossReferenceProblems(policy);
  if (problems.length > 0) throw new PolicyError(file, problems);
  return Object.freeze(policy);
}

/** Read and validate a policy file (the default one unless a deployment points elsewhere). */
export function loadPolicy(file: string = DEFAULT_POLICY_PATH): ModerationPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(file, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(file, [`not valid JSON (${(error as Error).message})`]);
  }
  return parsePolicy(document, file);
}
