/** k6 options from the generated scenario table: one ramping-arrival-rate scenario over the table's stages, thresholds from the table's. */
import type { Options, Scenario as K6Scenario } from 'k6/options';
import type { Scenario, Stage } from './scenario-types.ts';

/** Settings of one run, from the environment. */
export interface RunSettings {
  /** Requests per second that 1x means for the capacity-relative stages. */
  readonly capacity: number;
  /** Multiplies every stage's seconds (0.1 turns the 30-minute soak into 3 minutes). */
  readonly secondsScale: number;
}

/** Seconds of the ramp into each stage's rate: the stages are steps, as the vegeta runner holds them. */
const STEP_SECONDS = 1;

/** The stage's arrival rate in requests per second: as load/run-scenario.ts computes it, at least 0.2. */
export function stageRate(stage: Stage, capacity: number): number {
  return 'perSecond' in stage.rate ? stage.rate.perSecond : Math.max(0.2, stage.rate.capacity * capacity);
}

/** A stage's length in this run, in whole seconds. */
const stageSeconds = (stage: Stage, run: RunSettings) => Math.max(STEP_SECONDS + 1, Math.round(stage.seconds * run.secondsScale));

/** The stage running `elapsedSeconds` into the run (the last one after its end), so a request can be tagged with it. */
export function stageAt(scenario: Scenario, run: RunSettings, elapsedSeconds: number): Stage {
  let end = 0;
  for (const stage of scenario.stages) {
    end += stageSeconds(stage, run);
    if (elapsedSeconds < end) return stage;
  }
  return scenario.stages.at(-1)!;
}

/** The table's stages as one ramping-arrival-rate scenario: a one-second ramp into each stage's rate, then held. */
function rampingScenario(scenario: Scenario, run: RunSettings): { load: K6Scenario; seconds: number; peak: number } {
  const rates = scenario.stages.map((stage) => stageRate(stage, run.capacity));
  const peak = Math.max(...rates);
  // Per minute, so that fractional rates (0.2 req/s) stay exact.
  const perMinute = (rate: number) => Math.round(rate * 60);
  const stages = scenario.stages.flatMap((stage, index) => [
    { target: perMinute(rates[index]!), duration: `${STEP_SECONDS}s` },
    { target: perMinute(rates[index]!), duration: `${stageSeconds(stage, run) - STEP_SECONDS}s` },
  ]);
  const load: K6Scenario = {
    executor: 'ramping-arrival-rate',
    exec: 'postImage',
    startRate: perMinute(rates[0]!),
    timeUnit: '1m',
    stages,
    // Enough VUs to hold 10 s of the peak's arrivals in flight: under overload the service sheds with 503 within a few
    // seconds. Fewer, and k6 drops iterations, which the dropped_iterations threshold fails on: the load was not sent.
    preAllocatedVUs: Math.ceil(peak * 2) + 2,
    maxVUs: Math.ceil(peak * 10) + 10,
  };
  return { load, seconds: scenario.stages.reduce((sum, stage) => sum + stageSeconds(stage, run), 0), peak };
}

function thresholds(scenario: Scenario): Record<string, string[]> {
  const t = scenario.thresholds;
  // A dropped iteration is a request k6 could not send on time: the run did not apply the load it claims.
  const out: Record<string, string[]> = { answers_without_content: ['count==0'], dropped_iterations: ['count==0'] };
  const latency = [...(t.p95Ms === undefined ? [] : [`p(95)<=${t.p95Ms}`]), ...(t.p99Ms === undefined ? [] : [`p(99)<=${t.p99Ms}`])];
  if (latency.length > 0) out['http_req_duration{recovery:false}'] = latency;
  if (t.maxErrorRate !== undefined) out['request_errors{recovery:false}'] = [`rate<=${t.maxErrorRate}`];
  if (t.onlyShedWithRetryAfter) out.unexpected_failures = ['count==0'];
  if (t.recovered) {
    out['request_errors{recovery:true}'] = ['rate==0'];
    out['http_reqs{recovery:true}'] = ['count>0'];
  }
  if (t.maxRssGrowthMiB !== undefined) out.rss_growth_mib = [`value<=${t.maxRssGrowthMiB}`];
  return out;
}

/** The k6 options for one scenario of the table. */
export function k6Options(scenario: Scenario, run: RunSettings): Options {
  const { load, seconds } = rampingScenario(scenario, run);
  const scenarios: Record<string, K6Scenario> = { load };
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
    };
  }
  return {
    scenarios,
    thresholds: thresholds(scenario),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  };
}
