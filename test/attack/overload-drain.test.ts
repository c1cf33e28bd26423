import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { boot } from '../support/service.js';

// Issue 25, finding 6: 11 of 64 uploads over MAX_UPLOADS_PER_CLIENT got EPIPE instead of their 503, because the answer
// was sent and the socket closed while the client was still writing its body.
const UPLOADS = 16;
const BODY = Buffer.alloc(8 * 1024 * 1024, 0x41); // 8 MiB: more than the socket buffers hold
let service: RunningServer;

type Outcome = { status: number; error?: string };

/**
 * One upload from 127.0.0.1 over a raw socket (as the attack run's client: it reads the answer only once it has written
 * the body); the whole body, or its first KiB only (a slot holder, finished by `finish`). The status is 0 when no answer
 * was read; `error` is the socket error seen, if any.
 */
function upload(hold = false): { answer: Promise<Outcome>; finish: () => void } {
  const { port } = new URL(service.url);
  const socket = connect(Number(port), '127.0.0.1');
  const head = `POST /caption HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: ${BODY.length}\r\n\r\n`;
  const answer = new Promise<Outcome>((resolve) => {
    let text = '';
    let error: string | undefined;
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message));
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), ...(error ? { error } : {}) }));
  });
  socket.write(head);
  if (!hold) socket.end(BODY);
  else socket.write(BODY.subarray(0, 1024));
  return { answer, finish: () => socket.end(BODY.subarray(1024)) };
}

/** Resolves once the holders fill this address's upload slots: a small probe is refused rather than served. */
async function capReached(): Promise<void> {
  const probe = () => fetch(`${service.url}/caption`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: 'x' });
  while ((await probe()).status !== 503);
}

describe('uploads refused at admission still read their 503 (real server)', () => {
  before(async () => {
    service = await boot({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false', OCR_MODE: 'off', MAX_UPLOADS_PER_CLIENT: '8' });
  });
  after(() => service.drain());

  it(`when ${UPLOADS} 8 MiB uploads arrive from an address already at its cap, then every one gets its 503, none a socket error`, async () => {
    const holders = Array.from({ length: 8 }, () => upload(true));
    await capReached();
    const answers = await Promise.all(Array.from({ length: UPLOADS }, () => upload().answer));
    for (const holder of holders) holder.finish();
    await Promise.all(holders.map((holder) => holder.answer));
    const errors = answers.flatMap((a) => (a.error ? [a.error] : []));
    const statuses = answers.map((a) => a.status);
    const shown = `${statuses.filter((s) => s === 503).length} x 503, ${statuses.filter((s) => s === 0).length} without an answer`;
    console.log(`# ${UPLOADS} uploads: ${shown}, ${errors.length} socket errors (${[...new Set(errors)].join(', ')})`);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      statuses,
      Array.from({ length: UPLOADS }, () => 503),
    );
  });
});
