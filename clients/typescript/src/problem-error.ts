/** The RFC 9457 problem document of a failed call, as a typed Error. */
import type { components } from './generated/api.js';

/** A problem document as the service sends it (openapi.yaml's Problem schema). */
export type Problem = components['schemas']['Problem'];

/** The stable error codes of the service's catalogue. */
export type ProblemCode = Problem['code'];

/** A call answered with an error status; carries the problem document, or one built from the status when the body was not one (a proxy's HTML page, say). */
export class ImgsenseProblemError extends Error {
  readonly problem: Problem;
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly code: ProblemCode | undefined;
  readonly requestId: string | undefined;
  /** Seconds from the Retry-After header (429, 503), when the service sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, retryAfterSeconds?: number) {
    super(
      problem.detail
        ? `${problem.status} ${problem.code ?? problem.title}: ${problem.detail}`
        : `${problem.status} ${problem.code ?? ''} ${problem.title}`.replace('  ', ' '),
    );
    this.name = 'ImgsenseProblemError';
    this.problem = problem;
    this.type = problem.type;
    this.title = problem.title;
    this.status = problem.status;
    this.detail = problem.detail;
    this.code = problem.code;
    this.requestId = problem.request_id;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The error for a non-2xx response whose body (already read) was `body`. */
  static fromResponse(response: Response, body: unknown): ImgsenseProblemError {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    if (isProblem(body)) return new ImgsenseProblemError(body, retryAfter);
    const fallback = {
      type: 'about:blank',
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
      ...(typeof body === 'string' && body !== '' ? { detail: body.slice(0, 500) } : {}),
    } as Problem;
    return new ImgsenseProblemError(fallback, retryAfter);
  }
}

/** True when `value` has the members RFC 9457 requires of a problem document that the service always sends. */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.type === 'string' && typeof candidate.title === 'string' && typeof candidate.status === 'number';
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
