/** k6 options from the generated scenario table: one constant-arrival-rate scenario per stage, thresholds from the table's. */
import type { Options, Scenario as K6Scenario } from 'k6/options';
import type { Scenario, Stage } from './scenario-types.ts';

/** Settings of one run, from the environment. */
export interface RunSettings {
  /** Requests per second that 1x means for the capacity-relative stages. */
  readonly capacity: number;
  /** Multiplies every stage's seconds (0.1 turns the 30-minute soak into 3 minutes). */
  readonly secondsScale: number;
}

/** The stage's arrival rate in requests per second: as load/run-scenario.ts computes it, at least 0.2. */
export function stageRate(stage: Stage, capacity: number): number {
  return 'perSecond' in stage.rate ? stage.rate.perSecond : Math.max(0.2, stage.rate.capacity * capacity);
}

const scenarioName = (index: number, stage: Stage) => `stage${index}_${stage.label.replace(/[^A-Za-z0-9_]/g, '_')}`;

function stageScenarios(scenario: Scenario, run: RunSettings): { scenarios: Record<string, K6Scenario>; seconds: number } {
  const scenarios: Record<string, K6Scenario> = {};
  let start = 0;
  for (const [index, stage] of scenario.stages.entries()) {
    const rate = stageRate(stage, run.capacity);
    const seconds = Math.max(1, Math.round(stage.seconds * run.secondsScale));
    scenarios[scenarioName(index, stage)] = {
      executor: 'constant-arrival-rate',
      exec: 'postImage',
      startTime: `${start}s`,
      duration: `${seconds}s`,
      // Per minute, so that fractional rates (0.2 req/s) stay exact.
      rate: Math.round(rate * 60),
      timeUnit: '1m',
      // Enough VUs to hold 10 s of arrivals in flight: under overload the service sheds with 503 within a few seconds.
      preAllocatedVUs: Math.ceil(rate * 2) + 2,
      maxVUs: Math.ceil(rate * 10) + 10,
      tags: { stage: stage.label, recovery: String(stage.recovery ?? false) },
    };
    start += seconds;
  }
  return { scenarios, seconds: start };
}

function thresholds(scenario: Scenario): Record<string, string[]> {
  const t = scenario.thresholds;
  const out: Record<string, string[]> = { answers_without_content: ['count==0'] };
  const latency = [...(t.p95Ms === undefined ? [] : [`p(95)<=${t.p95Ms}`]), ...(t.p99Ms === undefined ? [] : [`p(99)<=${t.p99Ms}`])];
  if (latency.length > 0) out['http_req_duration{recovery:false}'] = latency;
  if (t.maxErrorRate !== undefined) out['request_errors{recovery:false}'] = [`rate<=${t.maxErrorRate}`];
  if (t.onlyShedWithRetryAfter) out.unexpected_failures = ['count==0'];
  if (t.recovered) {
    out.recovery_failures = ['count==0'];
    out.recovery_requests = ['count>0'];
  }
  if (t.maxRssGrowthMiB !== undefined) out.rss_growth_mib = [`value<=${t.maxRssGrowthMiB}`];
  return out;
}

/** The k6 options for one scenario of the table. */
export function k6Options(scenario: Scenario, run: RunSettings): Options {
  const { scenarios, seconds } = stageScenarios(scenario, run);
  if (scenario.rssEverySeconds) {
    scenarios.rss = {
      executor: 'constant-arrival-rate',
      exec: 'sampleRss',
      duration: `${seconds}s`,
      rate: 1,
      timeUnit: `${scenario.rssEverySeconds}s`,
      // One VU, so that its first sample stays the baseline of the growth.
      preAllocatedVUs: 1,
      maxVUs: 1,
      tags: { stage: 'rss', recovery: 'sampler' },
    };
  }
  return {
    scenarios,
    thresholds: thresholds(scenario),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  };
}
