/** Unit tests of the load verdicts and the measurement kit's percentiles and /metrics reader: exact expectations on hand-made results. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile } from '../bench/kit/percentiles.js';
import { histogramMean, parseMetrics } from '../bench/kit/prometheus.js';
import type { VegetaResult } from '../bench/kit/vegeta.js';
import { judge, outcomes, type StageOutcome } from './verdict.js';

const body = (text: string) => Buffer.from(text).toString('base64');
const ok = (latencyMs = 50): VegetaResult => ({
  code: 200,
  latency: latencyMs * 1e6,
  error: '',
  timestamp: '',
  body: body('{"alt_text":"A cat."}'),
  headers: {},
});
const shed = (retryAfter?: string): VegetaResult => ({
  code: 503,
  latency: 1e6,
  error: '503 Service Unavailable',
  timestamp: '',
  body: body('{}'),
  headers: retryAfter ? { 'Retry-After': [retryAfter] } : {},
});
const stage = (results: VegetaResult[], recovery = false): StageOutcome => ({ label: recovery ? 'recovery' : 'ramp', recovery, results });
const failed = (checks: ReturnType<typeof judge>) => checks.filter((c) => !c.pass).map((c) => c.name);

test('percentile is nearest-rank: p95 of 1..100 is 95, p99 is 99, p50 of [3,1,2] is 2', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(hundred, 95), 95);
  assert.equal(percentile(hundred, 99), 99);
  assert.equal(percentile([3, 1, 2], 50), 2);
});

test('when overload sheds with 503 and a numeric Retry-After and recovery is all 200, then stress passes', () => {
  const checks = judge(
    [stage([ok(), shed('1'), shed('2')]), stage([ok(), ok()], true)],
    { onlyShedWithRetryAfter: true, recovered: true },
    [],
  );
  assert.deepEqual(failed(checks), []);
});

test('when a 503 lacks Retry-After, then the shedding check fails', () => {
  const checks = judge([stage([ok(), shed()]), stage([ok()], true)], { onlyShedWithRetryAfter: true, recovered: true }, []);
  assert.deepEqual(failed(checks), ['only 503 + Retry-After']);
});

test('when any 500 or transport error appears under stress, then the shedding check fails', () => {
  const crash: VegetaResult = { ...ok(), code: 500 };
  const timeout: VegetaResult = { ...ok(), code: 0, error: 'context deadline exceeded' };
  assert.deepEqual(failed(judge([stage([crash]), stage([ok()], true)], { onlyShedWithRetryAfter: true }, [])), ['only 503 + Retry-After']);
  assert.deepEqual(failed(judge([stage([timeout]), stage([ok()], true)], { onlyShedWithRetryAfter: true }, [])), [
    'only 503 + Retry-After',
  ]);
  assert.deepEqual(outcomes([timeout, crash]), { 'error: context deadline exceeded': 1, 500: 1 });
});

test('when the recovery stage still sheds, then recovered fails; when it has no requests, it fails too', () => {
  assert.deepEqual(failed(judge([stage([ok()]), stage([ok(), shed('1')], true)], { recovered: true }, [])), ['recovered']);
  assert.deepEqual(failed(judge([stage([ok()])], { recovered: true }, [])), ['recovered']);
});

test('error rate and latency limits are judged on non-recovery stages only', () => {
  const slowRecovery = stage([ok(5000)], true);
  const steady = stage([...Array.from({ length: 999 }, () => ok(100)), shed('1')]);
  assert.deepEqual(failed(judge([steady, slowRecovery], { maxErrorRate: 0.001, p95Ms: 200 }, [])), []);
  assert.deepEqual(failed(judge([steady], { maxErrorRate: 0 }, [])), ['error rate']);
  assert.deepEqual(failed(judge([steady], { p99Ms: 50 }, [])), ['p99 latency']);
});

test('when a 200 body lacks the route marker, then the content check fails', () => {
  const empty: VegetaResult = { ...ok(), body: body('{}') };
  assert.deepEqual(failed(judge([stage([ok(), empty])], {}, [], '"alt_text"')), ['answers carry content']);
});

test('RSS growth is last sample minus first and is held to the limit', () => {
  assert.deepEqual(failed(judge([stage([ok()])], { maxRssGrowthMiB: 64 }, [300, 340, 363])), []);
  assert.deepEqual(failed(judge([stage([ok()])], { maxRssGrowthMiB: 64 }, [300, 340, 365])), ['RSS growth']);
});

test('histogram means come from _sum and _count deltas between two scrapes, filtered by label', () => {
  const before = parseMetrics(
    '# HELP x\nq_seconds_sum{model="a"} 1\nq_seconds_count{model="a"} 10\nq_seconds_sum{model="b"} 5\nq_seconds_count{model="b"} 1\n',
  );
  const after = parseMetrics(
    'q_seconds_sum{model="a"} 3\nq_seconds_count{model="a"} 14\nq_seconds_sum{model="b"} 5\nq_seconds_count{model="b"} 1\n',
  );
  assert.equal(histogramMean(before, after, 'q_seconds', 'model="a"'), 0.5);
  assert.equal(histogramMean(before, after, 'q_seconds', 'model="b"'), undefined);
});
