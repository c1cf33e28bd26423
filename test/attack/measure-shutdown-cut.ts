/**
 * Issue 25 (SIGTERM when the drain is cut): TRIES times (default 10) a real server gets 32 photos at once and, DELAY_MS
 * after it has received the first (tries spread it from 0 to 150 ms, so SIGTERM lands in decoding, queueing and
 * inference), SIGTERM with SHUTDOWN_GRACE_MS=0 and SHUTDOWN_TIMEOUT_MS=300; prints how each process ended. Before the
 * fix, a worker terminated inside `session.run` aborted the process (SIGABRT, `Napi::Error`). The expected end is exit 1.
 * `nice -n 15 npx tsx test/attack/measure-shutdown-cut.ts`
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fixture } from '../support/service.js';

const TRIES = Number(process.env.TRIES ?? 10);
const body = fixture('cat.jpg');

/** One server: start, 32 uploads, SIGTERM `delayMs` after the first is received; how it ended, with the native error it printed. */
async function once(delayMs: number): Promise<string> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'debug', SHUTDOWN_GRACE_MS: '0' };
  const overrides = { SHUTDOWN_TIMEOUT_MS: '300', MODERATION_ENABLED: 'false', DETECTOR_ENABLED: 'false', OCR_MODE: 'off' };
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...env, ...overrides },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (chunk) => (stderr += chunk));
  const ended = new Promise<string>((resolve) => server.on('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
  const seen = (msg: string) =>
    new Promise<void>((resolve) =>
      createInterface({ input: server.stdout }).on('line', (line) => line.includes(`"msg":"${msg}"`) && resolve()),
    );
  const [ready, received] = [seen('ready'), seen('request received')];
  await ready;
  const uploads = Array.from({ length: 32 }, () =>
    fetch(`http://127.0.0.1:${port}/caption`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body }).then(
      (response) => response.arrayBuffer(),
      () => undefined,
    ),
  );
  await received;
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  server.kill('SIGTERM');
  const end = await ended;
  await Promise.all(uploads);
  const native = stderr.split('\n').find((line) => line.startsWith('terminate called'));
  return native ? `${end} (${native.slice(0, 80)})` : end;
}

const ends: Record<string, number> = {};
for (let index = 0; index < TRIES; index += 1) {
  const end = await once(Math.round((150 * index) / Math.max(1, TRIES - 1)));
  ends[end] = (ends[end] ?? 0) + 1;
  console.log(`try ${index + 1}: ${end}`);
}
console.log(JSON.stringify({ tries: TRIES, ends }));
