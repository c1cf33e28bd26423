/** Judge a scenario's results against its thresholds: each check names its limit, the measured value and pass/fail. */
import { percentile } from '../bench/kit/percentiles.js';
import type { VegetaResult } from '../bench/kit/vegeta.js';
import type { Thresholds } from './scenarios.js';

export interface Check {
  readonly name: string;
  readonly limit: string;
  readonly actual: string;
  readonly pass: boolean;
}

export interface StageOutcome {
  readonly label: string;
  readonly recovery: boolean;
  readonly results: readonly VegetaResult[];
}

const ok = (r: VegetaResult): boolean => r.code >= 200 && r.code < 300;
const retryAfter = (r: VegetaResult): string | undefined =>
  Object.entries(r.headers ?? {}).find(([key]) => key.toLowerCase() === 'retry-after')?.[1]?.[0];
const shedProperly = (r: VegetaResult): boolean => r.code === 503 && /^\d+$/.test(retryAfter(r) ?? '');

/** Counts of outcomes: status codes, plus transport errors under "error: <message>". */
export function outcomes(results: readonly VegetaResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.code === 0 ? `error: ${r.error.slice(0, 80)}` : String(r.code);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function latencyChecks(judged: readonly VegetaResult[], t: Thresholds): Check[] {
  const latenciesMs = judged.map((r) => r.latency / 1e6);
  const checks: Check[] = [];
  for (const [p, limit] of [
    [95, t.p95Ms],
    [99, t.p99Ms],
  ] as const) {
    if (limit === undefined) continue;
    const value = percentile(latenciesMs, p);
    checks.push({ name: `p${p} latency`, limit: `<= ${limit} ms`, actual: `${value.toFixed(1)} ms`, pass: value <= limit });
  }
  return checks;
}

function bodyCheck(results: readonly VegetaResult[], marker: string): Check {
  const answered = results.filter(ok);
  const missing = answered.filter(
    (r) =>
      !Buffer.from(r.body ?? '', 'base64')
        .toString('utf8')
        .includes(marker),
  ).length;
  return {
    name: 'answers carry content',
    limit: `every 2xx body has ${marker}`,
    actual: `${answered.length - missing}/${answered.length}`,
    pass: answered.length > 0 && missing === 0,
  };
}

/** Every threshold of the scenario, checked against the stage results and RSS samples (MiB); `marker` is expected in 2xx bodies. */
export function judge(stages: readonly StageOutcome[], t: Thresholds, rssMiB: readonly number[], marker?: string): Check[] {
  const judged = stages.filter((s) => !s.recovery).flatMap((s) => s.results);
  const all = stages.flatMap((s) => s.results);
  const checks = latencyChecks(judged, t);
  if (marker) checks.push(bodyCheck(all, marker));
  if (t.maxErrorRate !== undefined) {
    const rate = judged.filter((r) => !ok(r)).length / Math.max(1, judged.length);
    checks.push({
      name: 'error rate',
      limit: `<= ${(t.maxErrorRate * 100).toFixed(2)}%`,
      actual: `${(rate * 100).toFixed(3)}%`,
      pass: rate <= t.maxErrorRate,
    });
  }
  if (t.onlyShedWithRetryAfter) {
    const bad = all.filter((r) => !ok(r) && !shedProperly(r));
    const shed = all.filter(shedProperly).length;
    checks.push({
      name: 'only 503 + Retry-After',
      limit: '0 other failures',
      actual: `${bad.length} other, ${shed} shed`,
      pass: bad.length === 0,
    });
  }
  if (t.recovered) {
    const recovery = stages.filter((s) => s.recovery).flatMap((s) => s.results);
    const failed = recovery.filter((r) => r.code !== 200).length;
    checks.push({
      name: 'recovered',
      limit: 'all 200 after overload',
      actual: `${recovery.length - failed}/${recovery.length} ok`,
      pass: recovery.length > 0 && failed === 0,
    });
  }
  if (t.maxRssGrowthMiB !== undefined) {
    const growth = rssMiB.length >= 2 ? rssMiB[rssMiB.length - 1]! - rssMiB[0]! : Number.NaN;
    checks.push({
      name: 'RSS growth',
      limit: `<= ${t.maxRssGrowthMiB} MiB`,
      actual: `${growth.toFixed(1)} MiB`,
      pass: growth <= t.maxRssGrowthMiB,
    });
  }
  return checks;
}
