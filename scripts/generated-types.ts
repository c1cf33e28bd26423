/** The generated TypeScript files and how each is made: API types from openapi.yaml, manifest, policy and serving types from their JSON Schemas. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';

export interface GeneratedFile {
  readonly path: string;
  readonly source: string;
  /** The file's text as the generator writes it now, written into `out`. */
  render(out: string): Promise<string>;
}

const BANNER = (source: string) =>
  `/**\n * Generated from ${source} by \`npm run gen:types\`. Do not edit: change the schema and regenerate.\n */`;

function fromJsonSchema(path: string, source: string, typeName: string): GeneratedFile {
  return {
    path,
    source,
    async render() {
      const schema = JSON.parse(readFileSync(source, 'utf8'));
      // Plain arrays rather than tuples for minItems: the schema, not the type, enforces lengths.
      return compile({ ...schema, title: typeName }, typeName, {
        bannerComment: BANNER(source),
        ignoreMinAndMaxItems: true,
        additionalProperties: false,
        format: true,
        unreachableDefinitions: true,
      });
    },
  };
}

const API_TYPES: GeneratedFile = {
  path: 'src/generated/api.ts',
  source: 'openapi.yaml',
  async render(out) {
    execFileSync('npx', ['openapi-typescript', 'openapi.yaml', '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    return readFileSync(out, 'utf8');
  },
};

export const GENERATED: readonly GeneratedFile[] = [
  API_TYPES,
  // The TypeScript client's own copy, so that clients/typescript builds and publishes without the server's sources.
  { ...API_TYPES, path: 'clients/typescript/src/generated/api.ts' },
  fromJsonSchema('src/generated/manifest.ts', 'models/manifest.schema.json', 'ManifestDocument'),
  fromJsonSchema('src/generated/policy.ts', 'policies/policy.schema.json', 'PolicyDocument'),
  fromJsonSchema('src/generated/serving.ts', 'models/serving.schema.json', 'ServingDocument'),
];
