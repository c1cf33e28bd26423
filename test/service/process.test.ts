import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fixture, postImage } from '../support/service.js';

interface LogLine {
  msg: string;
  url?: string;
  path?: string;
  clean?: boolean;
}

/** Start `src/main.ts` as a real process; collect its JSON log lines. */
function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as LogLine;
    lines.push(line);
    for (const waiter of [...waiters]) if (waiter.test(line)) waiters.splice(waiters.indexOf(waiter), 1), waiter.resolve(line);
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (test: (line: LogLine) => boolean) =>
    new Promise<LogLine>((resolve) => {
      const seen = lines.find(test);
      if (seen) resolve(seen);
      else waiters.push({ test, resolve });
    });
  return { child, lines, waitFor, exited, stderr: () => stderr };
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null) child.kill('SIGKILL');
}

describe('the service process', () => {
  it('when the configuration is bad, then it exits 1 naming every bad variable', async () => {
    const proc = startProcess({ PORT: 'x', QUEUE_MAX: '-1', EXECUTION_PROVIDER: 'tpu' });
    assert.equal(await proc.exited, 1);
    for (const name of ['PORT', 'QUEUE_MAX', 'EXECUTION_PROVIDER']) assert.match(proc.stderr(), new RegExp(`config error: ${name}=`));
  });

  it('when the model bundle is missing, then it exits 1 without serving', async () => {
    const proc = startProcess({ MODEL_DIR: 'models/does-not-exist', LOG_LEVEL: 'info' });
    assert.equal(await proc.exited, 1);
    assert.ok(proc.lines.some((line) => line.msg === 'start-up failed'));
  });

  it('when starting, then 503 until warm; when SIGTERM arrives under load, then every in-flight request is answered and the process exits 0', async () => {
    const proc = startProcess({ LOG_LEVEL: 'debug', SHUTDOWN_TIMEOUT_MS: '60000' });
    try {
      const listening = await proc.waitFor((line) => line.msg === 'listening; loading models');
      const starting = await fetch(`${listening.url}/readyz`);
      assert.equal(starting.status, 503);
      assert.equal(((await starting.json()) as { status: string }).status, 'starting');
      const early = await postImage(listening.url!, fixture('cat.jpg'), 'image/jpeg');
      assert.equal(early.status, 503);
      assert.equal(early.headers.get('retry-after'), '5');
      assert.equal(((await early.json()) as { code: string }).code, 'not_ready');
      const { url } = await proc.waitFor((line) => line.msg === 'ready');
      const count = 30;
      const responses = Array.from({ length: count }, () => postImage(url!, fixture('cat.jpg'), 'image/jpeg'));
      let received = 0;
      await proc.waitFor((line) => line.msg === 'request received' && line.path === '/caption' && ++received === count);
      proc.child.kill('SIGTERM');
      const statuses = await Promise.all(responses.map(async (r) => (await r).status));
      assert.deepEqual(statuses, new Array(count).fill(200));
      assert.equal(await proc.exited, 0);
      assert.ok(proc.lines.some((line) => line.msg === 'drained' && line.clean === true));
      const order = proc.lines.map((line) => line.msg);
      assert.ok(order.indexOf('draining: readiness 503, finishing in-flight requests') < order.lastIndexOf('request completed'));
    } finally {
      kill(proc.child);
    }
  });
});
