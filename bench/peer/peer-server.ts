/** The Python peer (bench/peer/README.md) as a server under test: its venv installed, started in one layout, ready in every worker. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort, type TargetServer } from '../kit/target-server.js';
import { processTree } from './process-tree.js';

/** The venv bench/peer/install.sh makes (PEER_VENV overrides). */
export const PEER_VENV = process.env.PEER_VENV ?? join(homedir(), '.cache/imgsense-peer-venv');

/** One way to run the peer: uvicorn worker processes x ONNX Runtime intra-op threads each. */
export interface PeerLayout {
  readonly workers: number;
  readonly intraOpThreads: number;
}

/** The layout's label in tables: "python 1x2" is 1 worker x 2 intra-op threads. */
export const layoutLabel = (layout: PeerLayout): string => `python ${layout.workers}x${layout.intraOpThreads}`;

/** Run bench/peer/install.sh (a no-op when the venv matches requirements.txt). */
export function installPeer(): void {
  execFileSync('bash', ['bench/peer/install.sh'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The versions the peer's /readyz reports and Python's own version. */
export function peerVersions(): { python: string; onnxruntime: string; pillow: string; numpy: string } {
  const script =
    'import sys, onnxruntime, PIL, numpy; print(sys.version.split()[0], onnxruntime.__version__, PIL.__version__, numpy.__version__)';
  const [python, onnxruntime, pillow, numpy] = execFileSync(join(PEER_VENV, 'bin/python'), ['-c', script], { encoding: 'utf8' })
    .trim()
    .split(' ');
  return { python: python!, onnxruntime: onnxruntime!, pillow: pillow!, numpy: numpy! };
}

/** GET /readyz on a fresh connection (so the kernel may hand it to any worker): the answering worker's pid, or undefined. */
function readyPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 2000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? (JSON.parse(Buffer.concat(chunks).toString()) as { pid: number }).pid : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Until `workers` distinct worker pids have answered /readyz (a uvicorn worker accepts only once its model is loaded and warm). */
async function waitAllReady(port: number, child: ChildProcess, workers: number, timeoutMs: number): Promise<void> {
  const seen = new Set<number>();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`peer exited with code ${child.exitCode} before it was ready`);
    const pid = await readyPid(port);
    if (pid !== undefined) seen.add(pid);
    if (seen.size >= workers) return;
    if (pid === undefined) await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`peer on port ${port}: ${seen.size} of ${workers} workers ready after ${timeoutMs} ms`);
}

function stopTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  const pids = processTree(child.pid);
  return new Promise((resolve) => {
    const force = setTimeout(
      () =>
        pids.forEach((pid) => {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }),
      15_000,
    );
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Start the peer with uvicorn (uvloop, httptools, no access log) in `layout`, and wait until every worker is ready; `env` adds PEER_* settings. */
export async function startPeer(layout: PeerLayout, extraEnv: Readonly<Record<string, string>> = {}): Promise<TargetServer> {
  const port = await freePort();
  const args = [
    '-m',
    'uvicorn',
    'peer_app:app',
    '--app-dir',
    'bench/peer',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--workers',
    String(layout.workers),
    '--loop',
    'uvloop',
    '--http',
    'httptools',
    '--no-access-log',
    '--log-level',
    'warning',
  ];
  const env = {
    ...process.env,
    PEER_INTRA_OP_THREADS: String(layout.intraOpThreads),
    // numpy's BLAS pool would only hold memory: nothing here multiplies matrices outside ORT.
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    ...extraEnv,
  };
  const child = spawn(join(PEER_VENV, 'bin/python'), args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitAllReady(port, child, layout.workers, 120_000);
  } catch (error) {
    await stopTree(child);
    throw error;
  }
  return { baseUrl: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => stopTree(child) };
}
