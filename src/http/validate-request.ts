/** Request validation compiled from openapi.yaml: query parameters via ajv, body content types from the spec. */
import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { ServiceError } from '../errors.js';
import { projectPath } from '../project-root.js';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema: Record<string, unknown>;
}

interface Operation {
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { content: Record<string, unknown> };
}

export interface OperationValidator<Q> {
  /** Coerced query with defaults applied; throws invalid_request naming each bad parameter. */
  query(raw: unknown): Q;
  /** Body media types the operation accepts (lower case, no parameters). */
  readonly contentTypes: readonly string[];
}

const spec = parse(readFileSync(projectPath('openapi.yaml'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components?: { parameters?: Record<string, Parameter> };
};

/** A parameter given in place or as a reference to components/parameters. */
function resolveParameter(param: Parameter | { $ref: string }): Parameter {
  if (!('$ref' in param)) return param;
  const name = param.$ref.replace('#/components/parameters/', '');
  const found = spec.components?.parameters?.[name];
  if (!found) throw new Error(`openapi.yaml: unresolved parameter ${param.$ref}`);
  return found;
}
// 'array' coercion turns a single-item array into a scalar and refuses a parameter given twice.
const ajv = new Ajv.default({ coerceTypes: 'array', useDefaults: true, allErrors: true, strict: false });

/** Undo the serialisation styles the spec names: `deepObject` (`p[key]=v`) and comma-separated arrays (`form`, explode false). */
function applyStyles(raw: Record<string, unknown>, params: readonly Parameter[]): Record<string, unknown> {
  const query = { ...raw };
  for (const { name, style, explode, schema } of params) {
    if (style === 'deepObject') {
      const keys = Object.keys(query).filter((key) => key.startsWith(`${name}[`) && key.endsWith(']'));
      if (keys.length === 0) continue;
      query[name] = Object.fromEntries(keys.map((key) => [key.slice(name.length + 1, -1), query[key]]));
      for (const key of keys) delete query[key];
    } else if (schema.type === 'array' && explode === false && query[name] !== undefined) {
      const values = ([] as unknown[]).concat(query[name]);
      query[name] = values.flatMap((value) => (typeof value === 'string' ? value.split(',').filter((v) => v !== '') : [value]));
    }
  }
  return query;
}

/** One ajv error as the client wrote it: the parameter's name (`thresholds[sexual]`, not `/thresholds/sexual`) first. */
function describeError(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    return `unknown parameter ${String(error.params.additionalProperty)} (not in openapi.yaml for this operation)`;
  }
  const [name, ...keys] = [...error.instancePath.split('/').slice(1), ...(error.propertyName ? [error.propertyName] : [])];
  return `${name ? `${name}${keys.map((key) => `[${key}]`).join('')}` : 'query'} ${error.message ?? 'is invalid'}`;
}

/** Build the validator for one operation of openapi.yaml. */
export function operationValidator<Q>(path: string, method: string): OperationValidator<Q> {
  const operation = spec.paths[path]?.[method];
  if (!operation) throw new Error(`openapi.yaml has no ${method.toUpperCase()} ${path}`);
  const params = (operation.parameters ?? []).map(resolveParameter).filter((p) => p.in === 'query');
  const properties = Object.fromEntries(params.map((p) => [p.name, p.schema]));
  const required = params.filter((p) => p.required).map((p) => p.name);
  // additionalProperties false: a parameter the spec does not name is refused, never ignored (a misspelt or wrongly
  // serialised one, e.g. `sexual=0.8` for `thresholds[sexual]=0.8`, would otherwise change the answer silently).
  const validate = ajv.compile({ type: 'object', properties, required, additionalProperties: false });
  return {
    contentTypes: Object.keys(operation.requestBody?.content ?? {}).map((type) => type.toLowerCase()),
    query(raw: unknown): Q {
      const query = applyStyles(raw as Record<string, unknown>, params);
      if (!validate(query)) {
        throw new ServiceError('invalid_request', `Invalid query: ${(validate.errors ?? []).map(describeError).join('; ')}.`);
      }
      return query as Q;
    },
  };
}
