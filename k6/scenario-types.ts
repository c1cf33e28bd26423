/** The shape of the generated scenario table: load/scenarios.ts's types, minus its process.env reads (k6 has no process). */

export interface Stage {
  readonly label: string;
  /** Requests per second: a fixed number, or a multiple of CAPACITY (req/s). */
  readonly rate: { readonly perSecond: number } | { readonly capacity: number };
  readonly seconds: number;
  /** Judged on its own by `recovered` (every request answered 200). */
  readonly recovery?: boolean;
}

export interface Thresholds {
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly maxErrorRate?: number;
  readonly onlyShedWithRetryAfter?: boolean;
  readonly recovered?: boolean;
  readonly maxRssGrowthMiB?: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly stages: readonly Stage[];
  readonly thresholds: Thresholds;
  readonly rssEverySeconds?: number;
}
