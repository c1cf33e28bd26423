/** The serving file (models/serving.json): read once at start, checked against its schema, each slot resolved to the fields the pool reads. */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ServingDocument } from './generated/serving.js';
import { projectPath } from './project-root.js';
import type { SlotSettings } from './runtime/inference-pool.js';

type SlotRow = ServingDocument['slots'][string];

/** One model slot as the service runs it. */
export interface ServingSlot extends SlotSettings {
  /** The bundle directory. */
  readonly bundle: string;
  /** Resized from the request's shared working decode (false: its use case decodes again at its own size). */
  readonly workingDecode: boolean;
  /** Post-processing overrides over the manifest's (detect slots). */
  readonly postprocess: Readonly<{ scoreThreshold?: number; iouThreshold?: number; maxDetections?: number }>;
}

export type Serving = Readonly<Record<string, ServingSlot>>;

/** What a slot falls back on where its row is silent: the configuration's defaults, and `cores` for "cores". */
export interface ServingDefaults {
  readonly intraOpThreads: number;
  readonly memoryArena: boolean;
  readonly batch: SlotSettings['batch'];
  readonly cores: number;
}

/** Single fields set from the environment (the per-model variables), by slot: they win over the file. */
export type SlotOverrides = Readonly<Record<string, Readonly<{ bundle?: string; intraOpThreads?: number }>>>;

let validate: ReturnType<InstanceType<typeof Ajv2020.default>['compile']> | undefined;

/** Where a serving document breaks models/serving.schema.json (empty when it passes). */
function servingSchemaErrors(document: unknown): string[] {
  validate ??= new Ajv2020.default({ allErrors: true, strict: false }).compile(
    JSON.parse(readFileSync(projectPath('models', 'serving.schema.json'), 'utf8')),
  );
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}

/** Read and check a serving file; problems name the file and every place it breaks the schema. */
export function readServingFile(path: string): { document?: ServingDocument; problems: string[] } {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { problems: [`SERVING_FILE ${path}: cannot read it as JSON (${(error as Error).message})`] };
  }
  const errors = servingSchemaErrors(document);
  if (errors.length > 0) return { problems: errors.map((error) => `SERVING_FILE ${path}: ${error}`) };
  return { document: document as ServingDocument, problems: [] };
}

function resolveSlot(row: SlotRow, defaults: ServingDefaults, override: SlotOverrides[string] = {}): ServingSlot {
  const threads = override.intraOpThreads ?? row.intra_op_threads;
  const post = row.postprocess ?? {};
  return Object.freeze({
    bundle: override.bundle ?? row.bundle,
    intraOpThreads: threads === 'cores' ? defaults.cores : (threads ?? defaults.intraOpThreads),
    memoryArena: row.memory_arena ?? defaults.memoryArena,
    batch: Object.freeze({
      maxBatchSize: row.batch?.max_size ?? defaults.batch.maxBatchSize,
      maxWaitMs: row.batch?.max_wait_ms ?? defaults.batch.maxWaitMs,
    }),
    shapes: Object.freeze((row.shapes ?? []).map((shape) => Object.freeze({ ...shape }))),
    dynamicWidth: row.dynamic_width ?? false,
    workingDecode: row.working_decode ?? true,
    postprocess: Object.freeze({
      ...(post.score_threshold !== undefined ? { scoreThreshold: post.score_threshold } : {}),
      ...(post.iou_threshold !== undefined ? { iouThreshold: post.iou_threshold } : {}),
      ...(post.max_detections !== undefined ? { maxDetections: post.max_detections } : {}),
    }),
  });
}

/** Every slot of the document with its defaults filled in and the environment's overrides applied. */
export function resolveServing(document: ServingDocument, defaults: ServingDefaults, overrides: SlotOverrides = {}): Serving {
  return Object.freeze(
    Object.fromEntries(Object.entries(document.slots).map(([name, row]) => [name, resolveSlot(row, defaults, overrides[name])])),
  );
}

/** The settings the pool reads, keyed by the model name each slot's bundle carries. */
export function poolSlots(
  serving: Serving,
  loaded: Readonly<Record<string, { manifest: { name: string } } | undefined>>,
): Record<string, SlotSettings> {
  return Object.fromEntries(
    Object.entries(loaded).flatMap(([slot, bundle]) => (bundle && serving[slot] ? [[bundle.manifest.name, serving[slot]]] : [])),
  );
}

/** A slot the caller cannot do without; throws naming the slot when the serving file lacks it. */
export function slotOf(serving: Serving, name: string): ServingSlot {
  const slot = serving[name];
  if (!slot) throw new Error(`the serving file has no slot named ${name}`);
  return slot;
}
