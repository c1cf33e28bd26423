/** Read the server's own /metrics: a small parser for the Prometheus text format and histogram deltas. */

/** Samples keyed by `name{labels}` exactly as exposed. */
export type Samples = Map<string, number>;

/** Fetch and parse /metrics into samples. */
export async function scrapeMetrics(baseUrl: string): Promise<Samples> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  return parseMetrics(await response.text());
}

/** Parse Prometheus text exposition into samples (comments skipped). */
export function parseMetrics(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    const value = Number(line.slice(cut + 1));
    if (Number.isFinite(value)) samples.set(line.slice(0, cut), value);
  }
  return samples;
}

/** Sum of every sample of `name` whose labels contain all of `labels` (e.g. `model="x"`). */
export function total(samples: Samples, name: string, ...labels: string[]): number {
  let sum = 0;
  for (const [key, value] of samples) {
    const bare = key.split('{')[0];
    if (bare === name && labels.every((label) => key.includes(label))) sum += value;
  }
  return sum;
}

/** Mean of a histogram between two scrapes, in the histogram's unit; undefined when nothing was observed. */
export function histogramMean(before: Samples, after: Samples, name: string, ...labels: string[]): number | undefined {
  const count = total(after, `${name}_count`, ...labels) - total(before, `${name}_count`, ...labels);
  const sum = total(after, `${name}_sum`, ...labels) - total(before, `${name}_sum`, ...labels);
  return count > 0 ? sum / count : undefined;
}

/** A histogram's mean between two scrapes as reports show it: `_seconds` histograms in ms, others in their unit, to 0.01. */
export function reportedMean(before: Samples, after: Samples, name: string, ...labels: string[]): number | undefined {
  const mean = histogramMean(before, after, name, ...labels);
  return mean === undefined ? undefined : Math.round(mean * (name.endsWith('_seconds') ? 1e5 : 100)) / 100;
}

/** Names of the histograms the server exposes (from `_count` samples). */
export function histogramNames(samples: Samples): string[] {
  const names = new Set<string>();
  for (const key of samples.keys()) {
    const bare = key.split('{')[0]!;
    if (bare.endsWith('_count')) names.add(bare.slice(0, -'_count'.length));
  }
  return [...names].sort();
}
