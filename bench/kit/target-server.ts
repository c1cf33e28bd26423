/** The server under test: TARGET_URL when given, otherwise a fresh server process started here on a free port. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A server to measure: where it answers and how to stop it. */
export interface TargetServer {
  readonly baseUrl: string;
  /** Present when this process started the server. */
  readonly pid?: number;
  stop(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The command that serves the app: SERVER_ENTRY (e.g. "dist/src/main.js"), else the current sources through tsx (never a stale build). */
function serverCommand(): string[] {
  if (process.env.SERVER_ENTRY) return process.env.SERVER_ENTRY.split(' ');
  return ['--import', 'tsx', 'src/main.ts'];
}

async function waitReady(baseUrl: string, child: ChildProcess | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before it was ready`);
    const ok = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server at ${baseUrl} not ready after ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** How `startTarget` starts a server of its own. */
export interface StartOptions {
  /** Added to this process's environment for the server (tuning variables). */
  readonly env?: Record<string, string>;
  /** Start a server even when TARGET_URL is set (sweeps compare servers they start). */
  readonly own?: boolean;
  /** Extra node arguments before the entry (e.g. `--import` of a preload module). */
  readonly nodeArgs?: readonly string[];
  /** Drop the server's stdout (its log) instead of sharing this terminal, e.g. when this process prints JSON. */
  readonly quiet?: boolean;
}

/** Use TARGET_URL, or start the server with the given environment and wait until /readyz answers 200. */
export async function startTarget(options: StartOptions = {}): Promise<TargetServer> {
  const given = options.own ? undefined : process.env.TARGET_URL;
  if (given) {
    const baseUrl = given.replace(/\/+$/, '');
    await waitReady(baseUrl, undefined, 10_000);
    return { baseUrl, stop: async () => {} };
  }
  const port = await freePort();
  const env = { ...process.env, LOG_LEVEL: 'warn', ...options.env, PORT: String(port), HOST: '127.0.0.1' };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...serverCommand()], {
    env,
    stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitReady(baseUrl, child, 120_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { baseUrl, pid: child.pid, stop: () => stopChild(child) };
}
