/** The peer comparison's arithmetic: per-server medians over rounds, imgsense ÷ each Python layout and ÷ the best, the table. */
import { median } from '../kit/percentiles.js';

/** What one server gave in one round. */
export interface RoundMeasurement {
  readonly saturationRps: number;
  readonly requestsPerCpuSecond: number;
  readonly p50SequentialMs: number;
  /** p99 ms at each offered fraction of the round's lowest saturation, keyed by the fraction. */
  readonly p99AtRateMs: Readonly<Record<string, number>>;
}

/** One row of the table: each server's value, and imgsense's ratio to each peer and to the peer's best value. */
export interface MetricRow {
  readonly metric: string;
  readonly unit: string;
  readonly better: 'higher' | 'lower';
  readonly values: Readonly<Record<string, number>>;
  readonly ratios: Readonly<Record<string, number>>;
  readonly best: string;
  readonly ratioToBest: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The peer whose value is better by `better` (higher or lower); the first on a tie. */
export function bestOf(values: Readonly<Record<string, number>>, peers: readonly string[], better: 'higher' | 'lower'): string {
  return peers.reduce((best, p) => ((better === 'higher' ? values[p]! > values[best]! : values[p]! < values[best]!) ? p : best));
}

/** One metric's row: `ours` ÷ each peer, and ÷ the best peer (ratios to 0.01). */
export function metricRow(
  metric: string,
  unit: string,
  better: 'higher' | 'lower',
  values: Record<string, number>,
  ours: string,
  peers: readonly string[],
): MetricRow {
  const ratios = Object.fromEntries(peers.map((p) => [p, round(values[ours]! / values[p]!, 2)]));
  const best = bestOf(values, peers, better);
  return { metric, unit, better, values, ratios, best, ratioToBest: round(values[ours]! / values[best]!, 2) };
}

/** The table from every server's rounds (median per metric) and its peak memory; `ours` first, then the peers. */
export function comparisonRows(
  rounds: Readonly<Record<string, readonly RoundMeasurement[]>>,
  peakRssMiB: Readonly<Record<string, number>>,
  ours: string,
): MetricRow[] {
  const labels = Object.keys(rounds);
  const peers = labels.filter((l) => l !== ours);
  const medianOf = (pick: (m: RoundMeasurement) => number, digits: number) =>
    Object.fromEntries(labels.map((l) => [l, round(median(rounds[l]!.map(pick)), digits)]));
  const fractions = Object.keys(rounds[ours]![0]?.p99AtRateMs ?? {});
  return [
    metricRow(
      'saturation',
      'req/s',
      'higher',
      medianOf((m) => m.saturationRps, 1),
      ours,
      peers,
    ),
    metricRow(
      'requests per server CPU-second',
      'req/CPU-s',
      'higher',
      medianOf((m) => m.requestsPerCpuSecond, 2),
      ours,
      peers,
    ),
    ...fractions.map((f) =>
      metricRow(
        `p99 at ${Math.round(Number(f) * 100)}% of the lower saturation`,
        'ms',
        'lower',
        medianOf((m) => m.p99AtRateMs[f]!, 1),
        ours,
        peers,
      ),
    ),
    metricRow(
      'p50 at concurrency 1',
      'ms',
      'lower',
      medianOf((m) => m.p50SequentialMs, 1),
      ours,
      peers,
    ),
    metricRow('peak RSS (process tree)', 'MiB', 'lower', { ...peakRssMiB }, ours, peers),
  ];
}

/** The offered rates of a round: each fraction of the lowest saturation among the servers (the same rates for all). */
export function offeredRates(saturations: readonly number[], fractions: readonly number[]): number[] {
  const lowest = Math.min(...saturations);
  return fractions.map((f) => round(Math.max(0.5, f * lowest), 1));
}

/** The combined decode-plus-inference limit when both stages share the cores: 1 / (1/decode + 1/inference), per second. */
export function combinedLimit(decodeRps: number, inferenceRps: number): number {
  return 1 / (1 / decodeRps + 1 / inferenceRps);
}

/** The rows as a Markdown table like issue 13's: values, then imgsense ÷ each peer and ÷ the peer's best. */
export function formatTable(rows: readonly MetricRow[], ours: string): string {
  const peers = Object.keys(rows[0]!.values).filter((l) => l !== ours);
  const head = ['metric', ours, ...peers, ...peers.map((p) => `${ours} ÷ ${p}`), `${ours} ÷ best`];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const cells = [
      `${row.metric} (${row.unit}, ${row.better} is better)`,
      String(row.values[ours]),
      ...peers.map((p) => String(row.values[p])),
      ...peers.map((p) => `${row.ratios[p]!.toFixed(2)}`),
      `${row.ratioToBest.toFixed(2)} (${row.best})`,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
