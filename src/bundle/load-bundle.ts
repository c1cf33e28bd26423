/** Load a model bundle (model.json + model.onnx): schema validation, sha256 check, invariants. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { buildHierarchy, type Hierarchy } from './hierarchy.js';
import type { Manifest } from './manifest.js';
import { projectPath } from '../project-root.js';

const SCHEMA_PATH = projectPath('models', 'manifest.schema.json');

export interface ModelBundle {
  readonly dir: string;
  readonly modelPath: string;
  readonly manifest: Manifest;
  /** Present for caption models. */
  readonly hierarchy?: Hierarchy;
}

/** Raised when a bundle is missing, malformed or does not match its checksum. */
export class BundleError extends Error {
  constructor(dir: string, reason: string) {
    super(`model bundle ${dir}: ${reason}`);
    this.name = 'BundleError';
  }
}

let validator: ValidateFunction | undefined;

async function manifestValidator(): Promise<ValidateFunction> {
  if (!validator) {
    const schema = JSON.parse(await readFile(SCHEMA_PATH, 'utf8'));
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    validator = ajv.compile(schema);
  }
  return validator;
}

/** Where a manifest breaks models/manifest.schema.json (empty when it passes). */
export async function manifestSchemaErrors(manifest: unknown): Promise<ErrorObject[]> {
  const validate = await manifestValidator();
  return validate(manifest) ? [] : [...(validate.errors ?? [])];
}

/** Hex sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readManifest(dir: string): Promise<Manifest> {
  let raw: string;
  try {
    raw = await readFile(join(dir, 'model.json'), 'utf8');
  } catch (error) {
    throw new BundleError(dir, `cannot read model.json (${(error as Error).message})`);
  }
  const manifest: unknown = JSON.parse(raw);
  const errors = await manifestSchemaErrors(manifest);
  if (errors.length > 0) throw new BundleError(dir, `model.json breaks the schema: ${JSON.stringify(errors).slice(0, 600)}`);
  return manifest as Manifest;
}

/** Read, validate and checksum a bundle directory; refuses any mismatch instead of guessing. */
export async function loadBundle(dir: string): Promise<ModelBundle> {
  const absolute = resolve(dir);
  const manifest = await readManifest(absolute);
  const modelPath = join(absolute, basename(manifest.model_file));
  const actual = await sha256File(modelPath).catch((error: Error) => {
    throw new BundleError(absolute, `cannot read ${manifest.model_file} (${error.message})`);
  });
  if (actual !== manifest.sha256) {
    throw new BundleError(absolute, `sha256 mismatch: manifest ${manifest.sha256}, file ${actual}`);
  }
  if (manifest.task !== 'caption') return Object.freeze({ dir: absolute, modelPath, manifest });
  try {
    const hierarchy = buildHierarchy(manifest);
    return Object.freeze({ dir: absolute, modelPath, manifest, hierarchy });
  } catch (error) {
    throw new BundleError(absolute, (error as Error).message);
  }
}
