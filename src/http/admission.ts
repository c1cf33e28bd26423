/** Admission control: uploads being received and requests in processing are bounded apart, so slow senders cannot starve decoding. */
import type { Request, RequestHandler } from 'express';
import { ServiceError } from '../errors.js';

export interface AdmissionLimits {
  /** Requests past their upload (decoding, inferring) at once. */
  readonly maxProcessing: number;
  /** Uploads being received at once, from everyone. */
  readonly maxUploads: number;
  /** Uploads being received at once from one client address. */
  readonly maxUploadsPerClient: number;
}

/** The gate in front of the model routes, and the second gate a request passes once its body is in. */
export interface Admission {
  /** Middleware: 503 overloaded before the body is read when processing is full or the upload slots (global, per address) are. */
  readonly admitUpload: RequestHandler;
  /** Called once the body is received: trades the upload slot for a processing slot, or throws 503 overloaded. */
  beginProcessing(req: Request): void;
}

// Refused before its body is read: close the connection rather than drain a body nobody wants.
const overloaded = (detail: string) => new ServiceError('overloaded', detail, { Connection: 'close' });

/** Build the two-stage gate; `onProcessing` sees the processing count (the in-flight gauge). */
export function createAdmission(limits: AdmissionLimits, onProcessing: (count: number) => void = () => {}): Admission {
  let processing = 0;
  let uploads = 0;
  const perClient = new Map<string, number>();
  const releaseUpload = new WeakMap<Request, () => void>();

  const admitUpload: RequestHandler = (req, res, next) => {
    const client = req.socket.remoteAddress ?? 'unknown';
    const fromClient = perClient.get(client) ?? 0;
    if (processing >= limits.maxProcessing) throw overloaded(`${limits.maxProcessing} image requests are already in progress.`);
    if (uploads >= limits.maxUploads) throw overloaded(`${limits.maxUploads} uploads are already being received.`);
    if (fromClient >= limits.maxUploadsPerClient) {
      throw overloaded(`${limits.maxUploadsPerClient} uploads from this address are already being received.`);
    }
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
    beginProcessing(req) {
      releaseUpload.get(req)?.();
      releaseUpload.delete(req);
      // A client gone before this point would never fire 'close' again, and its slot would leak.
      if (req.socket.destroyed) throw new ServiceError('invalid_request', 'The client closed the connection.');
      if (processing >= limits.maxProcessing) throw overloaded(`${limits.maxProcessing} image requests are already in progress.`);
      processing += 1;
      onProcessing(processing);
      req.res!.once('close', () => {
        processing -= 1;
        onProcessing(processing);
      });
    },
  };
}
