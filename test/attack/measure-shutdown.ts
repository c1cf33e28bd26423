/**
 * Issue 25, finding 8 (SIGTERM), measured: CLIENTS keep-alive clients (default 200) post a photo in a loop to a real
 * server process; once each has been answered, SIGTERM. A balancer polls /readyz every 100 ms on fresh connections.
 * MODE=balancer: the clients stop sending once it has seen 503 (a load balancer took the instance out); MODE=direct: they
 * go on until the process exits (no balancer). Prints every outcome by phase: statuses, resets (ECONNRESET, EPIPE, hang
 * up) and refusals (ECONNREFUSED, the listener closed). `MODE=balancer nice -n 15 npx tsx test/attack/measure-shutdown.ts`
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fixture } from '../support/service.js';

const CLIENTS = Number(process.env.CLIENTS ?? 200);
const MODE = process.env.MODE ?? 'balancer';
const GRACE_MS = Number(process.env.SHUTDOWN_GRACE_MS ?? 3000);
const PORT = 20_000 + Math.floor(Math.random() * 20_000);
const base = `http://127.0.0.1:${PORT}`;
const body = fixture('cat.jpg');

const env = {
  ...process.env,
  PORT: String(PORT),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  SHUTDOWN_GRACE_MS: String(GRACE_MS),
  MODERATION_ENABLED: 'false',
  DETECTOR_ENABLED: 'false',
  OCR_MODE: 'off',
  MAX_UPLOADS_PER_CLIENT: String(CLIENTS),
};
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const started = performance.now();
const at = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
let phase = 'serving';
const milestones: string[] = [];
createInterface({ input: server.stdout! }).on('line', (line) => {
  if (line.includes('draining: listener closed')) phase = 'listener closed';
  const { msg, clean } = JSON.parse(line) as { msg: string; clean?: boolean };
  if (/draining|drained|shutting down/.test(msg)) milestones.push(`${msg}${clean === undefined ? '' : ` (clean ${clean})`} at ${at()}`);
});
const exited = new Promise<void>((resolve) => server.on('exit', () => resolve()));
let running = true;
void exited.then(() => (running = false));

/** One POST on `agent`: the status, or the socket error's code. */
function post(agent: Agent): Promise<string> {
  return new Promise((resolve) => {
    const req = request(
      `${base}/caption`,
      { method: 'POST', agent, headers: { 'content-type': 'image/jpeg', 'content-length': String(body.length) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end(body);
  });
}

const ready = async () =>
  (await fetch(`${base}/readyz`).then(
    (r) => r.status,
    () => 0,
  )) === 200;
while (!(await ready())) await new Promise((resolve) => setTimeout(resolve, 250));
const tally = new Map<string, number>();
let balancerOut = false;
const answered = new Set<number>();
const clients = Array.from({ length: CLIENTS }, async (_, id) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  while (running && !(MODE === 'balancer' && balancerOut)) {
    const sentIn = phase;
    const outcome = await post(agent);
    answered.add(id);
    const key = `sent ${sentIn}, answered ${phase}: ${outcome}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
    if (!/^\d+$/.test(outcome)) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  agent.destroy();
});
while (answered.size < CLIENTS) await new Promise((resolve) => setTimeout(resolve, 100));
phase = 'grace';
milestones.push(`SIGTERM at ${at()}`);
server.kill('SIGTERM');
const poller = (async () => {
  while (running && !balancerOut) {
    const status = await fetch(`${base}/readyz`, { headers: { connection: 'close' } }).then(
      (r) => r.status,
      () => 0,
    );
    if (status !== 200) (balancerOut = true), milestones.push(`balancer saw ${status} at ${at()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
})();
await Promise.all([...clients, poller, exited]);
const resets = [...tally].filter(([key]) => /ECONNRESET|EPIPE|hang up/.test(key)).reduce((n, [, count]) => n + count, 0);
console.log(
  JSON.stringify({
    mode: MODE,
    clients: CLIENTS,
    graceMs: GRACE_MS,
    resets,
    exitCode: server.exitCode,
    signal: server.signalCode,
    exitedAt: at(),
    milestones,
  }),
);
for (const [key, n] of [...tally].sort()) console.log(`${String(n).padStart(6)}  ${key}`);
