/**
 * Generated from models/serving.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.
 */

/**
 * How each model slot is served, in the spirit of Triton's per-model config.pbtxt: which bundle, its ONNX Runtime threads and arena, its batching, the input shapes it runs at. The inference pool reads these fields and never a task name. Environment variables in the configuration table may override single fields (README, Configuration).
 */
export interface ServingDocument {
  $schema?: string;
  format_version: 1;
  /**
   * Model slots by name; a use case asks for a slot by this name (src/load-models.ts) and checks the bundle's task against its model kind.
   */
  slots: {
    [k: string]: Slot;
  };
}
/**
 * This interface was referenced by `ServingDocument`'s JSON-Schema
 * via the `definition` "slot".
 */
export interface Slot {
  /**
   * The bundle directory (model.json + model.onnx), relative to the working directory or absolute.
   */
  bundle: string;
  /**
   * Why the slot is served this way (cite the measurement).
   */
  doc?: string;
  /**
   * ONNX Runtime intra-op threads of the slot's session: a count, or "cores" for every core. Absent: the configured default (INTRA_OP_THREADS).
   */
  intra_op_threads?: number | "cores";
  /**
   * ONNX Runtime's CPU arena and memory patterns. Absent: the configured default (ORT_MEMORY_ARENA).
   */
  memory_arena?: boolean;
  batch?: {
    /**
     * Most images per run. Absent: BATCH_MAX_SIZE.
     */
    max_size?: number;
    /**
     * Longest an image waits for its batch to fill. Absent: BATCH_MAX_WAIT_MS.
     */
    max_wait_ms?: number;
  };
  /**
   * Input shapes the slot runs at besides its manifest's (one batch holds one shape); the graph's spatial axes must be dynamic.
   */
  shapes?: Shape[];
  /**
   * Each request brings its own input width (the manifest's height): the width is read from the pixel count.
   */
  dynamic_width?: boolean;
  /**
   * The slot's input is resized from the request's shared working decode, which is sized for it; false: its use case decodes again at its own size.
   */
  working_decode?: boolean;
  /**
   * Post-processing overrides over the manifest's, for detect slots (after the use case's own).
   */
  postprocess?: {
    score_threshold?: number;
    iou_threshold?: number;
    max_detections?: number;
  };
}
/**
 * This interface was referenced by `ServingDocument`'s JSON-Schema
 * via the `definition` "shape".
 */
export interface Shape {
  width: number;
  height: number;
}
