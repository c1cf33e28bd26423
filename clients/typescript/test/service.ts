/** Test helpers: the real imgsense service from this checkout as a child process on a free port, and the real photos. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root: the service is run from its sources there, exactly as `npm run dev` does. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data';
export const FIXTURES = `${ROOT}test/fixtures`;

export interface Service {
  readonly url: string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the service cannot report the port it got from PORT=0 other than in its log). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Start `node --import tsx src/main.ts` with env overrides and wait until /readyz answers 200. */
export async function startService(env: Record<string, string> = {}): Promise<Service> {
  if (!existsSync(`${SKIMAGE}/chelsea.png`)) throw new Error(`${SKIMAGE} is missing: run scripts/install-deps.sh (python3-skimage)`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '0', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitReady(url, child, 90_000);
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} before it was ready`);
    const status = await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`the service at ${url} was not ready within ${timeoutMs} ms`);
}
