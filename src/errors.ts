/** The one error catalogue: every error the service answers with, its status, stable type URI and title. */

export const PROBLEM_TYPE_BASE = 'https://imgsense.invalid/problems/';

export const ERROR_CATALOGUE = {
  empty_body: { status: 400, title: 'The request carried no image bytes.' },
  missing_image_field: { status: 400, title: 'The multipart form has no file in the field "image".' },
  truncated_body: { status: 400, title: 'The request body ended before the upload was complete.' },
  invalid_request: { status: 400, title: 'The request does not match the API contract.' },
  unauthorized: { status: 401, title: 'The request needs a valid API key.' },
  not_found: { status: 404, title: 'No such endpoint.' },
  method_not_allowed: { status: 405, title: 'The endpoint does not accept this method.' },
  request_timeout: { status: 408, title: 'The request was not received in time.' },
  body_too_large: { status: 413, title: 'The request body exceeds the size limit.' },
  too_many_pixels: { status: 413, title: 'The image has more pixels than the limit.' },
  expectation_failed: { status: 417, title: 'The request has an Expect header the service cannot meet.' },
  headers_too_large: { status: 431, title: 'The request headers exceed the size limit.' },
  unsupported_media_type: { status: 415, title: 'The upload is not a supported image format.' },
  corrupt_image: { status: 422, title: 'The image could not be decoded: it is corrupt or truncated.' },
  image_too_complex: { status: 422, title: 'The image would cost too much to decode.' },
  rate_limited: { status: 429, title: 'Too many requests for this API key or address; retry after the window resets.' },
  overloaded: { status: 503, title: 'The service is at capacity; retry shortly.', retryAfterSeconds: 1 },
  not_ready: { status: 503, title: 'The service is not ready.', retryAfterSeconds: 5 },
  deadline_exceeded: {
    status: 503,
    title: 'The request was not answered within the deadline (REQUEST_DEADLINE_MS).',
    retryAfterSeconds: 1,
  },
  internal: { status: 500, title: 'An unexpected error occurred.' },
  too_many_images: { status: 400, title: 'The batch has more image parts than the limit.' },
  image_url_disabled: { status: 415, title: 'Image by URL is off in this deployment.' },
  image_url_invalid: { status: 400, title: 'The body is not a JSON object with one absolute "url".' },
  image_url_not_allowed: { status: 400, title: "The URL's scheme or host is not allowed in this deployment." },
  image_url_address_refused: { status: 400, title: "The URL's host resolves to an address that is not public." },
  // The URL is the client's input: a remote that fails is a 4xx, so it never counts as this service's own 5xx.
  image_url_fetch_failed: { status: 422, title: 'The image URL could not be fetched.' },
  image_url_timeout: { status: 422, title: 'The image URL did not answer in time.' },
} as const satisfies Record<string, { status: number; title: string; retryAfterSeconds?: number }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An expected, client-facing failure; `detail` is safe to show, `headers` are added to the response. */
export class ServiceError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? ERROR_CATALOGUE[code].title);
    this.name = 'ServiceError';
    this.status = ERROR_CATALOGUE[code].status;
  }
}

/** Seconds a client should wait before retrying, for the codes that are worth retrying. */
export function retryAfterSeconds(code: ErrorCode): number | undefined {
  const entry = ERROR_CATALOGUE[code];
  return 'retryAfterSeconds' in entry ? entry.retryAfterSeconds : undefined;
}

/** The stable `type` URI of an error code. */
export function problemType(code: ErrorCode): string {
  return `${PROBLEM_TYPE_BASE}${code.replaceAll('_', '-')}`;
}
