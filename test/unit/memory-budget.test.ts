import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Request, Response } from 'express';
import { createAdmission } from '../../src/http/admission.js';
import {
  containerMemoryLimit,
  createMemoryBudget,
  defaultMemoryBudget,
  FALLBACK_BUDGET_BYTES,
  requestCost,
} from '../../src/http/memory-budget.js';

// Issue 25, finding 2: 128 concurrent 15.8 MB JPEGs took the process from 0.96 to 4.47 GB; nothing counted bytes.
const MB = 1024 * 1024;

/** A request declaring `length` bytes from 127.0.0.1 and its response, enough for the admission gate. */
function exchange(length: number) {
  const res = Object.assign(new EventEmitter(), { locals: {} }) as unknown as Response;
  const socket = Object.assign(new EventEmitter(), { remoteAddress: '127.0.0.1', destroyed: false, destroy() {} });
  const req = Object.assign(new EventEmitter(), {
    ip: '127.0.0.1',
    socket,
    complete: true,
    res,
    resume() {},
    get: (name: string) => (name === 'content-length' ? String(length) : undefined),
  }) as unknown as Request;
  return { req, res, close: () => (res as unknown as EventEmitter).emit('close') };
}

describe('admission by the memory budget', () => {
  const limits = { maxProcessing: 1000, maxUploads: 1000, maxUploadsPerClient: 1000 };

  it('when the uploads in progress hold the budget, then the next one is 503 overloaded until one of them closes', () => {
    const budget = createMemoryBudget(3 * requestCost(16 * MB, 20 * MB));
    const admission = createAdmission({ ...limits, memory: { budget, bodyLimitBytes: 20 * MB } });
    const admitted = [1, 2, 3].map(() => exchange(16 * MB));
    for (const { req, res } of admitted) admission.admitUpload(req, res, () => {});
    const refused = exchange(16 * MB);
    assert.throws(
      () => admission.admitUpload(refused.req, refused.res, () => {}),
      (e: { code: string; detail: string }) => e.code === 'overloaded' && /memory budget/.test(e.detail),
    );
    admitted[0]!.close();
    const next = exchange(16 * MB);
    admission.admitUpload(next.req, next.res, () => {});
    assert.equal(budget.used, 3 * requestCost(16 * MB, 20 * MB));
  });

  it('when an upload declares no length, then it is charged the whole body limit; small photos are charged little', () => {
    assert.equal(requestCost(0, 20 * MB), 2 * 20 * MB + 4 * MB);
    assert.equal(requestCost(50 * MB, 20 * MB), 2 * 20 * MB + 4 * MB);
    assert.ok(requestCost(200_000, 20 * MB) < 5 * MB);
  });

  it('when an image-URL fetch is charged chunk by chunk, then past the budget it is 503 and its charges go when it closes', () => {
    const budget = createMemoryBudget(20 * MB);
    const admission = createAdmission({ ...limits, memory: { budget, bodyLimitBytes: 20 * MB } });
    const json = exchange(40);
    admission.admitUpload(json.req, json.res, () => {});
    const admitted = budget.used;
    for (let chunk = 0; chunk < 3; chunk += 1) admission.chargeFetched(json.req, 2 * MB);
    assert.equal(budget.used, admitted + 3 * 2 * 2 * MB);
    assert.throws(
      () => admission.chargeFetched(json.req, 2 * MB),
      (e: { code: string }) => e.code === 'overloaded',
    );
    json.close();
    assert.equal(budget.used, 0);
  });

  it('when one request costs more than the whole budget, then it still runs alone', () => {
    const budget = createMemoryBudget(10 * MB);
    assert.ok(budget.tryReserve(50 * MB));
    assert.ok(!budget.tryReserve(1));
    budget.release(50 * MB);
    assert.ok(budget.tryReserve(1));
  });
});

describe('the default budget, from the container limit', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'imgsense-cgroup-'));
  const file = (name: string, text: string) => (writeFileSync(path.join(dir, name), text), path.join(dir, name));

  it('when cgroup v2 or v1 states a limit, then the budget is the limit less 1.25 times the memory held at ready, at least 64 MiB', () => {
    assert.equal(containerMemoryLimit([file('v2', '1073741824\n')]), 1024 * MB);
    assert.equal(containerMemoryLimit([path.join(dir, 'absent'), file('v1', '2147483648\n')]), 2048 * MB);
    assert.equal(defaultMemoryBudget(1024 * MB, 400 * MB), 524 * MB, 'OCR off: about what half the limit gave');
    assert.equal(defaultMemoryBudget(1024 * MB, 680 * MB), 174 * MB, 'every default model: the chart limit holds');
    assert.equal(defaultMemoryBudget(1024 * MB, 900 * MB), 64 * MB);
  });

  it('when the limit is "max" or v1\'s unlimited, or no file exists, then the fixed fallback', () => {
    assert.equal(containerMemoryLimit([file('max', 'max\n')]), undefined);
    assert.equal(containerMemoryLimit([file('unlimited', '9223372036854771712\n')]), undefined);
    assert.equal(containerMemoryLimit([path.join(dir, 'none')]), undefined);
    assert.equal(defaultMemoryBudget(undefined), FALLBACK_BUDGET_BYTES);
    rmSync(dir, { recursive: true, force: true });
  });
});
