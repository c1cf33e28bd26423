/** The load scenarios as data: arrival-rate stages (absolute, or multiples of measured capacity) and their thresholds. */

export interface Stage {
  readonly label: string;
  /** Requests per second: a fixed number, or a multiple of the capacity measured just before the run. */
  readonly rate: { readonly perSecond: number } | { readonly capacity: number };
  readonly seconds: number;
  /** Judged on its own by `recovered` (the server must serve every request again). */
  readonly recovery?: boolean;
}

export interface Thresholds {
  /** Latency of successful requests, over every non-recovery stage. */
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  /** Share of requests that were not 2xx (any status, timeout or transport error). */
  readonly maxErrorRate?: number;
  /** Overload may shed with 503 + Retry-After; any other non-2xx, or a transport error, fails. */
  readonly onlyShedWithRetryAfter?: boolean;
  /** Every request of the recovery stage answered 200. */
  readonly recovered?: boolean;
  /** RSS growth from the first sample after warm-up to the last, in MiB. */
  readonly maxRssGrowthMiB?: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly stages: readonly Stage[];
  readonly thresholds: Thresholds;
  /** Sample the server's RSS from /metrics this often (seconds). */
  readonly rssEverySeconds?: number;
}

const minutes = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);

/** Every scenario, by the name the npm script uses (`npm run load:<name>`). */
export const SCENARIOS: Record<string, Scenario> = {
  smoke: {
    name: 'smoke',
    description: 'CI gate: a low constant rate of real photos for 30 s; everything must succeed.',
    stages: [{ label: 'steady', rate: { perSecond: 2 }, seconds: 30 }],
    thresholds: { p95Ms: 1500, p99Ms: 3000, maxErrorRate: 0 },
  },
  load: {
    name: 'load',
    description: 'Constant arrival rate at 70% of measured capacity.',
    stages: [{ label: 'steady', rate: { capacity: 0.7 }, seconds: minutes('LOAD_SECONDS', 60) }],
    thresholds: { p95Ms: 800, p99Ms: 1500, maxErrorRate: 0.001 },
  },
  stress: {
    name: 'stress',
    description: 'Arrival rate ramps to 3x capacity; only 503 + Retry-After may fail; then the server must recover.',
    stages: [
      ...[0.5, 1, 1.5, 2, 2.5, 3].map((multiple) => ({ label: `${multiple}x`, rate: { capacity: multiple }, seconds: 10 })),
      { label: 'recovery', rate: { capacity: 0.3 }, seconds: 10, recovery: true },
    ],
    thresholds: { onlyShedWithRetryAfter: true, recovered: true },
  },
  spike: {
    name: 'spike',
    description: 'Quiet, a sudden 4x burst for 10 s, quiet again; only 503 + Retry-After during the burst, full recovery after.',
    stages: [
      { label: 'before', rate: { capacity: 0.3 }, seconds: 15 },
      { label: 'burst', rate: { capacity: 4 }, seconds: 10 },
      { label: 'recovery', rate: { capacity: 0.3 }, seconds: 20, recovery: true },
    ],
    thresholds: { onlyShedWithRetryAfter: true, recovered: true },
  },
  soak: {
    name: 'soak',
    description: 'Half of capacity for SOAK_MINUTES (default 30); RSS growth is reported and bounded.',
    stages: [{ label: 'steady', rate: { capacity: 0.5 }, seconds: Math.round(minutes('SOAK_MINUTES', 30) * 60) }],
    thresholds: { p95Ms: 800, p99Ms: 1500, maxErrorRate: 0.001, maxRssGrowthMiB: 64 },
    rssEverySeconds: 30,
  },
};
