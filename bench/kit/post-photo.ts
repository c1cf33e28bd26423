/** One photo POSTed to a route of the server under test, as a client would send it (raw body, its Content-Type). */
import type { Photo } from './photo-set.js';

/** The connection closed before any answer: a keep-alive socket the server was closing as undici reused it (not an answer). */
function closedUnanswered(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return error instanceof TypeError && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET');
}

/** POST `photo` to `route` and read the whole answer; returns the status. Sent once more when the socket closed unanswered. */
export async function postPhoto(baseUrl: string, route: string, photo: Photo): Promise<number> {
  const send = () => fetch(`${baseUrl}${route}`, { method: 'POST', body: photo.bytes, headers: { 'Content-Type': photo.mimeType } });
  const response = await send().catch((error: unknown) => {
    if (closedUnanswered(error)) return send();
    throw error;
  });
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
