/** One photo POSTed to a route of the server under test, as a client would send it (raw body, its Content-Type). */
import type { Photo } from './photo-set.js';

/** POST `photo` to `route` and read the whole answer; returns the status. */
export async function postPhoto(baseUrl: string, route: string, photo: Photo): Promise<number> {
  const response = await fetch(`${baseUrl}${route}`, { method: 'POST', body: photo.bytes, headers: { 'Content-Type': photo.mimeType } });
  await response.arrayBuffer();
  return response.status;
}

/** Milliseconds from sending `photo` to the end of a 200 answer; throws on any other status. */
export async function timedPost(baseUrl: string, route: string, photo: Photo): Promise<number> {
  const started = performance.now();
  const status = await postPhoto(baseUrl, route, photo);
  const elapsed = performance.now() - started;
  if (status !== 200) throw new Error(`${route} ${photo.name}: status ${status}`);
  return elapsed;
}
