import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundleDir } from '../support/bundles.js';
import type { WorkerSupervisor } from '../../src/runtime/worker-supervisor.js';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, fixture, metricValue, postImage } from '../support/service.js';

/** Poll until `check` holds or `ms` pass. */
async function eventually(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('a dead inference worker whose replacement fails to start (real server, real model)', () => {
  let dir: string;
  let service: RunningServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const readiness = async () => (await fetch(`${service.url}/readyz`)).status;
  const events = async (outcome: string) =>
    metricValue(await (await fetch(`${service.url}/metrics`)).text(), 'imgsense_inference_worker_events_total', { outcome });

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    dir = mkdtempSync(join(tmpdir(), 'imgsense-readyz-'));
    for (const file of ['model.json', 'model.onnx']) copyFileSync(join(bundleDir('classifier'), file), join(dir, file));
    service = await boot({ MODEL_DIR: dir, MODERATION_ENABLED: 'false' });
  });
  after(async () => {
    await service.drain();
    rmSync(dir, { recursive: true, force: true });
    process.off('unhandledRejection', onUnhandled);
  });

  it('when the worker dies and its model file is gone, then /readyz is 503 degraded, the failure is counted, and the process lives', async () => {
    assert.equal(await readiness(), 200);
    renameSync(join(dir, 'model.onnx'), join(dir, 'moved.onnx'));
    const supervisor = (service.models.pool as unknown as { supervisor: WorkerSupervisor }).supervisor;
    await supervisor.handle(0).worker.terminate();
    const answer = await fetch(`${service.url}/readyz`);
    assert.equal(answer.status, 503);
    const body: any = await answer.json();
    assertMatchesSpec('readiness', body);
    assert.equal(body.status, 'degraded');
    assert.equal(body.models[0].workers_live, 0);
    await eventually('a failed start', async () => (await events('start_failed')) >= 1);
    assert.equal(await events('died'), 1);
  });

  it('when the model file is back, then the next replacement starts, /readyz is 200 and photos are captioned again', async () => {
    renameSync(join(dir, 'moved.onnx'), join(dir, 'model.onnx'));
    await eventually('readiness 200', async () => (await readiness()) === 200);
    assert.equal(await events('replaced'), 1);
    const response = await postImage(service.url, fixture('cat.jpg'), 'image/jpeg');
    assert.equal(response.status, 200);
    assert.match(((await response.json()) as any).alt_text, /cat/);
    assert.deepEqual(unhandled, []);
  });
});
