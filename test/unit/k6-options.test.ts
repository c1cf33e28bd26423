import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectPath } from '../../src/project-root.js';
import { SCENARIOS } from '../../load/scenarios.js';

// k6/ imports with .ts extensions (k6 resolves paths as written), so it is loaded here by URL rather than type-checked
// twice; k6/tsconfig.json checks it against @types/k6.
type K6Scenario = {
  executor: string;
  startRate?: number;
  rate?: number;
  timeUnit: string;
  duration?: string;
  stages?: { target: number; duration: string }[];
  maxVUs: number;
};
type K6Options = { scenarios: Record<string, K6Scenario>; thresholds: Record<string, string[]> };
type Run = { capacity: number; secondsScale: number };
const { k6Options, stageAt } = (await import(pathToFileURL(projectPath('k6', 'options.ts')).href)) as {
  k6Options(scenario: unknown, run: Run): K6Options;
  stageAt(scenario: unknown, run: Run, elapsedSeconds: number): { label: string; recovery?: boolean };
};
const { SCENARIOS: GENERATED, PHOTOS } = (await import(pathToFileURL(projectPath('k6', 'scenarios.generated.ts')).href)) as {
  SCENARIOS: typeof SCENARIOS;
  PHOTOS: { name: string; mimeType: string }[];
};

test('when the k6 table is generated, then it holds the same scenarios as load/scenarios.ts', () => {
  assert.deepEqual(Object.keys(GENERATED), Object.keys(SCENARIOS));
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    assert.deepEqual(GENERATED[name]!.thresholds, scenario.thresholds, name);
    assert.deepEqual(
      GENERATED[name]!.stages.map((s) => [s.label, s.rate, !!s.recovery]),
      scenario.stages.map((s) => [s.label, s.rate, !!s.recovery]),
      name,
    );
  }
});

test('when CAPACITY is 20, then stress is one ramping-arrival-rate scenario stepping through the multiples, then recovery', () => {
  const { scenarios } = k6Options(GENERATED.stress!, { capacity: 20, secondsScale: 1 });
  assert.deepEqual(Object.keys(scenarios), ['load']);
  const load = scenarios.load!;
  assert.equal(load.executor, 'ramping-arrival-rate');
  assert.equal(load.startRate! / 60, 10);
  const steps = load.stages!.map((s) => [s.target / 60, s.duration]);
  assert.deepEqual(
    steps,
    [10, 20, 30, 40, 50, 60, 6].flatMap((rate) => [
      [rate, '1s'],
      [rate, '9s'],
    ]),
  );
  assert.ok(load.maxVUs >= 60 * 10, 'VUs for 10 s of the peak rate in flight');
});

test('when a request is sent, then it is tagged with the stage the run is in', () => {
  const run = { capacity: 20, secondsScale: 1 };
  assert.equal(stageAt(GENERATED.stress!, run, 0).label, '0.5x');
  assert.equal(stageAt(GENERATED.stress!, run, 10.5).label, '1x');
  assert.equal(stageAt(GENERATED.stress!, run, 59.9).label, '3x');
  assert.deepEqual(stageAt(GENERATED.stress!, run, 61), { label: 'recovery', rate: { capacity: 0.3 }, seconds: 10, recovery: true });
  assert.equal(stageAt(GENERATED.stress!, run, 1e6).label, 'recovery');
});

test('when k6 posts, then it cycles through the same 8 photos as the vegeta runner', async () => {
  const { loadPhotoSet } = await import('../../bench/kit/photo-set.js');
  const set = await loadPhotoSet();
  assert.equal(PHOTOS.length, 8);
  assert.deepEqual(
    PHOTOS,
    set.map(({ name, mimeType }) => ({ name, mimeType })),
  );
});

test('when a scenario has thresholds, then each one becomes a k6 threshold', () => {
  assert.deepEqual(k6Options(GENERATED.smoke!, { capacity: 20, secondsScale: 1 }).thresholds, {
    answers_without_content: ['count==0'],
    dropped_iterations: ['count==0'],
    'http_req_duration{recovery:false}': ['p(95)<=1500', 'p(99)<=3000'],
    'request_errors{recovery:false}': ['rate<=0'],
  });
  const spike = k6Options(GENERATED.spike!, { capacity: 20, secondsScale: 1 }).thresholds;
  assert.deepEqual(
    [spike.unexpected_failures, spike['request_errors{recovery:true}'], spike['http_reqs{recovery:true}']],
    [['count==0'], ['rate==0'], ['count>0']],
  );
  const soak = k6Options(GENERATED.soak!, { capacity: 20, secondsScale: 0.1 });
  assert.deepEqual(soak.thresholds.rss_growth_mib, ['value<=64']);
  assert.equal(soak.scenarios.rss!.duration, '180s');
});
