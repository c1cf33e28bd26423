import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bestOf,
  combinedLimit,
  comparisonRows,
  formatTable,
  metricRow,
  offeredRates,
  type RoundMeasurement,
} from '../../bench/peer/compare-table.js';

const m = (saturationRps: number, requestsPerCpuSecond: number, p50SequentialMs: number, p99: number): RoundMeasurement => ({
  saturationRps,
  requestsPerCpuSecond,
  p50SequentialMs,
  p99AtRateMs: { '0.5': p99 },
});

describe('peer comparison arithmetic', () => {
  it('when higher is better, then the best peer is the one with the larger value', () => {
    assert.equal(bestOf({ a: 1, b: 3, c: 2 }, ['b', 'c'], 'higher'), 'b');
    assert.equal(bestOf({ a: 1, b: 3, c: 2 }, ['b', 'c'], 'lower'), 'c');
  });

  it('when a metric is compared, then each ratio is ours over that peer, and the best-ratio uses the better peer', () => {
    const row = metricRow('p50', 'ms', 'lower', { ours: 30, p1: 20, p2: 25 }, 'ours', ['p1', 'p2']);
    assert.deepEqual(row.ratios, { p1: 1.5, p2: 1.2 });
    assert.equal(row.best, 'p1');
    assert.equal(row.ratioToBest, 1.5);
  });

  it('when there are several rounds, then each value is the median round and RSS comes from the peaks', () => {
    const rows = comparisonRows(
      { ours: [m(10, 5, 30, 100), m(12, 6, 32, 90), m(11, 7, 31, 95)], peer: [m(20, 10, 20, 50), m(22, 10, 22, 60), m(18, 10, 21, 55)] },
      { ours: 300, peer: 200 },
      'ours',
    );
    assert.deepEqual(
      rows.map((r) => r.metric),
      [
        'saturation',
        'requests per server CPU-second',
        'p99 at 50% of the lower saturation',
        'p50 at concurrency 1',
        'peak RSS (process tree)',
      ],
    );
    assert.deepEqual(
      rows.map((r) => r.ratios.peer),
      [0.55, 0.6, 1.73, 1.48, 1.5],
    );
  });

  it('when the servers saturate differently, then every server is offered the same fractions of the lowest', () => {
    assert.deepEqual(offeredRates([40, 20, 30], [0.25, 0.5, 0.75]), [5, 10, 15]);
    assert.deepEqual(offeredRates([1], [0.25]), [0.5]);
  });

  it('when decode and inference share the cores, then the limit is the harmonic combination', () => {
    assert.equal(combinedLimit(100, 100), 50);
    assert.ok(Math.abs(combinedLimit(60, 30) - 20) < 1e-9);
  });

  it('when the table is printed, then it has a header, a rule and one line per metric', () => {
    const rows = comparisonRows({ ours: [m(10, 5, 30, 100)], peer: [m(20, 10, 20, 50)] }, { ours: 300, peer: 200 }, 'ours');
    const lines = formatTable(rows, 'ours').split('\n');
    assert.equal(lines.length, 2 + rows.length);
    assert.match(lines[0]!, /\| ours ÷ peer \| ours ÷ best \|$/);
    assert.match(lines[2]!, /^\| saturation .* \| 0\.50 \| 0\.50 \(peer\) \|$/);
  });
});
