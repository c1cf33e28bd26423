/** Admission control: uploads being received and requests in processing are bounded apart, so slow senders cannot starve decoding. */
import type { Request, RequestHandler, Response } from 'express';
import { ServiceError } from '../errors.js';
import { clientKey } from './client-address.js';
import { drainRefused } from './linger.js';
import { requestCost, type MemoryBudget } from './memory-budget.js';

export interface AdmissionLimits {
  /** Requests past their upload (decoding, inferring) at once. */
  readonly maxProcessing: number;
  /** Uploads being received at once, from everyone. */
  readonly maxUploads: number;
  /** Uploads being received at once from one client (clientKey: an IPv6 /64 is one client). */
  readonly maxUploadsPerClient: number;
  /** Bytes the requests in progress may hold together (requestCost each, from its declared length); absent, no budget. */
  readonly memory?: { readonly budget: MemoryBudget; readonly bodyLimitBytes: number };
}

/** The gate in front of the model routes, and the second gate a request passes once its body is in. */
export interface Admission {
  /** Middleware: 503 overloaded before the body is read when processing is full or the upload slots (global, per address) are. */
  readonly admitUpload: RequestHandler;
  /** Called once the body is received: trades the upload slot for a processing slot, or throws 503 overloaded. */
  beginProcessing(req: Request): void;
  /** Charge `bytes` fetched from an image URL for `req` (twice, as an upload) until its response closes; 503 over the budget. */
  chargeFetched(req: Request, bytes: number): void;
}

/** 503 before the body is read; the body is read away within bounds (drainRefused) so that the client sees the answer. */
function overloaded(req: Request, detail: string): ServiceError {
  drainRefused(req);
  return new ServiceError('overloaded', detail);
}

/** Build the two-stage gate; `onProcessing` sees the processing count (the in-flight gauge). */
export function createAdmission(limits: AdmissionLimits, onProcessing: (count: number) => void = () => {}): Admission {
  let processing = 0;
  let uploads = 0;
  const perClient = new Map<string, number>();
  const releaseUpload = new WeakMap<Request, () => void>();
  /** Bytes charged for each request's image-URL fetches so far (released together when its response closes). */
  const fetched = new WeakMap<Request, number>();

  /** Hold the request's estimated bytes until its response closes; 503 when the budget is spent. */
  const reserveMemory = (req: Request, res: Response) => {
    if (!limits.memory) return;
    const { budget, bodyLimitBytes } = limits.memory;
    const cost = requestCost(Number(req.get('content-length') ?? 0), bodyLimitBytes);
    if (!budget.tryReserve(cost)) {
      throw overloaded(req, `The requests in progress hold the memory budget (${Math.round(budget.capacity / 2 ** 20)} MiB).`);
    }
    res.once('close', () => budget.release(cost));
  };

  const admitUpload: RequestHandler = (req, res, next) => {
    const client = clientKey(req);
    const fromClient = perClient.get(client) ?? 0;
    if (processing >= limits.maxProcessing) throw overloaded(req, `${limits.maxProcessing} image requests are already in progress.`);
    if (uploads >= limits.maxUploads) throw overloaded(req, `${limits.maxUploads} uploads are already being received.`);
    if (fromClient >= limits.maxUploadsPerClient) {
      throw overloaded(req, `${limits.maxUploadsPerClient} uploads from this address are already being received.`);
    }
    reserveMemory(req, res);
    uploads += 1;
    perClient.set(client, fromClient + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      uploads -= 1;
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
    };
    releaseUpload.set(req, release);
    res.once('close', release);
    next();
  };

  return {
    admitUpload,
    chargeFetched(req, bytes) {
      if (!limits.memory) return;
      const { budget } = limits.memory;
      if (!budget.tryReserve(2 * bytes)) {
        throw new ServiceError(
          'overloaded',
          `The requests in progress hold the memory budget (${Math.round(budget.capacity / 2 ** 20)} MiB).`,
        );
      }
      const before = fetched.get(req);
      fetched.set(req, (before ?? 0) + 2 * bytes);
      if (before === undefined) req.res!.once('close', () => budget.release(fetched.get(req) ?? 0));
    },
    beginProcessing(req) {
      releaseUpload.get(req)?.();
      releaseUpload.delete(req);
      // A client gone before this point would never fire 'close' again, and its slot would leak.
      if (req.socket.destroyed) throw new ServiceError('invalid_request', 'The client closed the connection.');
      if (processing >= limits.maxProcessing) throw overloaded(req, `${limits.maxProcessing} image requests are already in progress.`);
      processing += 1;
      onProcessing(processing);
      req.res!.once('close', () => {
        processing -= 1;
        onProcessing(processing);
      });
    },
  };
}
