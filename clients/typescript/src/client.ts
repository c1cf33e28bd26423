/** The imgsense client: caption and moderate an image over openapi-fetch, with the service's problems thrown as ImgsenseProblemError. */
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './generated/api.js';
import { setTimeout as delay } from 'node:timers/promises';
import { ImgsenseProblemError, isProblem, type Problem } from './problem-error.js';
import { withRetries } from './retry.js';

export type CaptionResult = components['schemas']['CaptionResponse'];
export type ModerationResult = components['schemas']['ModerationResponse'];
export type CaptionQuery = NonNullable<operations['caption']['parameters']['query']>;
export type ModerationQuery = NonNullable<operations['moderate']['parameters']['query']>;
export type CaptionBatchQuery = NonNullable<operations['captionBatch']['parameters']['query']>;
export type ModerationBatchQuery = NonNullable<operations['moderateBatch']['parameters']['query']>;

/** One entry of a batch answer, in the order of the images: the result, or that image's own problem as an error (not thrown). */
export type BatchEntry<T> = T | ImgsenseProblemError;

/** An image's bytes: a Blob (or File) or raw bytes. The service detects the real format from the bytes. */
export type ImageInput = Blob | Uint8Array | ArrayBuffer;

export interface CallOptions {
  /** The file name sent with the upload (shown in nothing but the service's logs; default "image"). */
  filename?: string;
  signal?: AbortSignal;
}

export interface ImgsenseClientOptions {
  /** Where the service listens, e.g. http://localhost:8080. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` when the deployment has API_KEYS_FILE. */
  apiKey?: string;
  /** Extra headers on every request (X-Request-ID, say). */
  headers?: Record<string, string>;
  /** A fetch of your own (a test double, a proxy agent); default globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds one attempt may take before it is abandoned with a TimeoutError (default 60 000; 0: no limit). */
  timeoutMs?: number;
  /**
   * Attempts after the first when the service answers 429 or 503 (after its Retry-After, at most 60 s) or the connection
   * is refused or dropped (after 0.5, 1, 2 … s); default 2, 0 for none. The last answer's error is thrown.
   */
  retries?: number;
}

/** A client of one imgsense service. Every method resolves to the result or rejects with ImgsenseProblemError (or a network error). */
export class ImgsenseClient {
  /** The underlying openapi-fetch client, typed from openapi.yaml, for the endpoints without a method here (/readyz, /metrics). */
  readonly api: Client<paths>;
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(options: ImgsenseClientOptions) {
    this.api = createClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: { ...options.headers, ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
      ...(options.fetch ? { fetch: options.fetch } : {}),
      // openapi.yaml: `categories` is form with explode false (a,b), `thresholds` is deepObject (thresholds[id]=0.3).
      querySerializer: { array: { style: 'form', explode: false }, object: { style: 'deepObject', explode: true } },
    });
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retries = options.retries ?? 2;
  }

  /** Run one call with a per-attempt deadline, retried as `retries` says; `signal` aborts the call and any wait. */
  private async send<T>(signal: AbortSignal | undefined, attempt: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    const deadline = () => {
      const timeout = this.timeoutMs > 0 ? AbortSignal.timeout(this.timeoutMs) : undefined;
      return signal && timeout ? AbortSignal.any([signal, timeout]) : (signal ?? timeout);
    };
    return withRetries(
      () => attempt(deadline()),
      this.retries,
      () => {},
      (ms) => delay(ms, undefined, signal ? { signal } : {}),
    );
  }

  /** One hedged alt-text sentence and the labels for an image (POST /caption). */
  async caption(image: ImageInput, options: CaptionQuery & CallOptions = {}): Promise<CaptionResult> {
    const { filename, signal, ...query } = options;
    const body = await upload([image], filename);
    return this.send(signal, async (attemptSignal) => {
      const { data, error, response } = await this.api.POST('/caption', {
        params: { query },
        ...body,
        ...(attemptSignal ? { signal: attemptSignal } : {}),
      });
      return unwrap(data, error, response);
    });
  }

  /** The image scored against the deployment's moderation policy (POST /moderate). */
  async moderate(image: ImageInput, options: ModerationQuery & CallOptions = {}): Promise<ModerationResult> {
    const { filename, signal, ...query } = options;
    const body = await upload([image], filename);
    return this.send(signal, async (attemptSignal) => {
      const { data, error, response } = await this.api.POST('/moderate', {
        params: { query },
        ...body,
        ...(attemptSignal ? { signal: attemptSignal } : {}),
      });
      return unwrap(data, error, response);
    });
  }

  /**
   * Several images in one request (POST /caption/batch, at most the deployment's BATCH_MAX_IMAGES, default 16). Resolves to one
   * entry per image, in order: a caption or an ImgsenseProblemError for that image; rejects only for a fault of the request itself.
   */
  async captionBatch(images: readonly ImageInput[], options: CaptionBatchQuery & CallOptions = {}): Promise<BatchEntry<CaptionResult>[]> {
    const { filename, signal, ...query } = options;
    const body = await upload(images, filename);
    const result = await this.send(signal, async (attemptSignal) => {
      const { data, error, response } = await this.api.POST('/caption/batch', {
        params: { query },
        ...body,
        ...(attemptSignal ? { signal: attemptSignal } : {}),
      });
      return unwrap(data, error, response);
    });
    return result.results.map(entry);
  }

  /** Several images moderated in one request (POST /moderate/batch); entries as for captionBatch. */
  async moderateBatch(
    images: readonly ImageInput[],
    options: ModerationBatchQuery & CallOptions = {},
  ): Promise<BatchEntry<ModerationResult>[]> {
    const { filename, signal, ...query } = options;
    const body = await upload(images, filename);
    const result = await this.send(signal, async (attemptSignal) => {
      const { data, error, response } = await this.api.POST('/moderate/batch', {
        params: { query },
        ...body,
        ...(attemptSignal ? { signal: attemptSignal } : {}),
      });
      return unwrap(data, error, response);
    });
    return result.results.map(entry);
  }
}

function entry<T extends object>(result: T | Problem): BatchEntry<T> {
  return isProblem(result) && 'code' in result ? new ImgsenseProblemError(result) : (result as T);
}

/** A multipart form with each image in the field "image" (the service sniffs the bytes, so no content type is needed). */
export function imageForm(images: readonly ImageInput[], filename = 'image'): FormData {
  const form = new FormData();
  images.forEach((image, index) => {
    const blob = image instanceof Blob ? image : new Blob([image]);
    const name = image instanceof File ? image.name : images.length > 1 ? `${filename}-${index + 1}` : filename;
    form.append('image', blob, name);
  });
  return form;
}

/**
 * The multipart body as one buffer with its content type, for openapi-fetch to send as it is. Sent in one piece rather than
 * streamed: the service refuses some requests (401, 429, 503) before reading the upload and closes the connection, and a body
 * still being streamed then fails with EPIPE and the refusal is lost (seen with a 512-byte form under load).
 */
async function upload(images: readonly ImageInput[], filename?: string) {
  const encoded = new Response(imageForm(images, filename));
  const body = new Uint8Array(await encoded.arrayBuffer());
  // The generated body type names the form's fields; the serializer passes the encoded bytes through untouched.
  return {
    body: body as never,
    bodySerializer: (bytes: unknown) => bytes as never,
    headers: { 'content-type': encoded.headers.get('content-type')! },
  };
}

function unwrap<T>(data: T | undefined, error: unknown, response: Response): T {
  if (response.ok && data !== undefined) return data;
  throw ImgsenseProblemError.fromResponse(response, error);
}
