/** handleSummary's output: one line per threshold (limit, measured value, pass or fail) and the run as JSON. */
import type { Scenario } from './scenario-types.ts';

/** The parts of k6's summary data this file reads (@types/k6 does not declare it). */
export interface SummaryData {
  readonly metrics: Record<string, { readonly type: string; readonly values: Record<string, number>; readonly thresholds?: Record<string, { readonly ok: boolean }> }>;
  readonly state?: { readonly testRunDurationMs?: number };
}

interface RunInfo {
  readonly scenario: Scenario;
  readonly capacity: number;
  readonly image: string;
  readonly file: string;
}

const round = (value: number | undefined) => (value === undefined ? 'n/a' : String(Math.round(value * 100) / 100));

function thresholdLines(data: SummaryData): { lines: string[]; pass: boolean } {
  const lines: string[] = [];
  let pass = true;
  for (const [name, metric] of Object.entries(data.metrics)) {
    for (const [limit, { ok }] of Object.entries(metric.thresholds ?? {})) {
      pass &&= ok;
      const values = Object.entries(metric.values).map(([key, value]) => `${key}=${round(value)}`).join(' ');
      lines.push(`  ${ok ? 'pass' : 'FAIL'}  ${name}: ${limit}  (${values})`);
    }
  }
  return { lines, pass };
}

/** The files handleSummary writes: stdout and the JSON summary. */
export function summaryFiles(data: SummaryData, run: RunInfo): Record<string, string> {
  const { lines, pass } = thresholdLines(data);
  const requests = data.metrics.http_reqs?.values.count ?? 0;
  const latency = data.metrics['http_req_duration{recovery:false}'] ?? data.metrics.http_req_duration;
  const text = [
    `k6 ${run.scenario.name}: ${run.scenario.description}`,
    `  CAPACITY=${run.capacity} req/s, image ${run.image}, ${requests} requests,` +
      ` p50/p95/p99 ${round(latency?.values.med)} / ${round(latency?.values['p(95)'])} / ${round(latency?.values['p(99)'])} ms`,
    ...lines,
    `k6 ${run.scenario.name}: ${pass ? 'pass' : 'FAIL'}`,
    '',
  ].join('\n');
  const json = { scenario: run.scenario, capacity: run.capacity, image: run.image, pass, metrics: data.metrics, state: data.state };
  return { stdout: text, [run.file]: JSON.stringify(json, null, 2) };
}
