/** @imgsense/client: the client of the imgsense API and its types. */
export { ImgsenseClient, imageForm } from './client.js';
export type {
  BatchEntry,
  CallOptions,
  CaptionBatchQuery,
  CaptionQuery,
  CaptionResult,
  ImageInput,
  ImgsenseClientOptions,
  ModerationBatchQuery,
  ModerationQuery,
  ModerationResult,
} from './client.js';
export { ImgsenseProblemError, isProblem } from './problem-error.js';
export type { Problem, ProblemCode } from './problem-error.js';
export type { components, operations, paths } from './generated/api.js';
