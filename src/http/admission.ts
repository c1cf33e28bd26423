/** Admission control: bound the model requests in flight, so overload is shed before a body is read or decoded. */
import type { RequestHandler } from 'express';
import { ServiceError } from '../errors.js';

/** A gate that refuses a model request with 503 overloaded when `limit` are already in flight. */
export function admissionGate(limit: number, inFlight: (count: number) => void = () => {}): RequestHandler {
  let active = 0;
  return (_req, res, next) => {
    if (active >= limit) {
      throw new ServiceError('overloaded', `${limit} image requests are already in progress.`);
    }
    active += 1;
    inFlight(active);
    res.once('close', () => {
      active -= 1;
      inFlight(active);
    });
    next();
  };
}
