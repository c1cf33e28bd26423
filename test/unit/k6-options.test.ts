import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectPath } from '../../src/project-root.js';
import { SCENARIOS } from '../../load/scenarios.js';

// k6/ imports with .ts extensions (k6 resolves paths as written), so it is loaded here by URL rather than type-checked
// twice; k6/tsconfig.json checks it against @types/k6.
type K6Scenario = { executor: string; rate: number; timeUnit: string; startTime?: string; duration: string; tags: Record<string, string> };
type K6Options = { scenarios: Record<string, K6Scenario>; thresholds: Record<string, string[]> };
const { k6Options } = (await import(pathToFileURL(projectPath('k6', 'options.ts')).href)) as {
  k6Options(scenario: unknown, run: { capacity: number; secondsScale: number }): K6Options;
};
const { SCENARIOS: GENERATED } = (await import(pathToFileURL(projectPath('k6', 'scenarios.generated.ts')).href)) as { SCENARIOS: typeof SCENARIOS };

test('when the k6 table is generated, then it holds the same scenarios as load/scenarios.ts', () => {
  assert.deepEqual(Object.keys(GENERATED), Object.keys(SCENARIOS));
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    assert.deepEqual(GENERATED[name]!.thresholds, scenario.thresholds, name);
    assert.deepEqual(GENERATED[name]!.stages.map((s) => [s.label, s.rate, !!s.recovery]), scenario.stages.map((s) => [s.label, s.rate, !!s.recovery]), name);
  }
});

test('when CAPACITY is 20, then each stage is a constant arrival rate of its multiple, one after the other', () => {
  const { scenarios } = k6Options(GENERATED.stress!, { capacity: 20, secondsScale: 1 });
  const stages = Object.values(scenarios).filter((s) => s.tags.stage !== 'rss');
  assert.deepEqual(stages.map((s) => [s.executor, s.rate / 60, s.startTime]), [
    ['constant-arrival-rate', 10, '0s'], ['constant-arrival-rate', 20, '10s'], ['constant-arrival-rate', 30, '20s'],
    ['constant-arrival-rate', 40, '30s'], ['constant-arrival-rate', 50, '40s'], ['constant-arrival-rate', 60, '50s'],
    ['constant-arrival-rate', 6, '60s'],
  ]);
  assert.equal(stages.at(-1)!.tags.recovery, 'true');
});

test('when a scenario has thresholds, then each one becomes a k6 threshold', () => {
  assert.deepEqual(k6Options(GENERATED.smoke!, { capacity: 20, secondsScale: 1 }).thresholds, {
    answers_without_content: ['count==0'],
    'http_req_duration{recovery:false}': ['p(95)<=1500', 'p(99)<=3000'],
    'request_errors{recovery:false}': ['rate<=0'],
  });
  const spike = k6Options(GENERATED.spike!, { capacity: 20, secondsScale: 1 }).thresholds;
  assert.deepEqual([spike.unexpected_failures, spike.recovery_failures, spike.recovery_requests], [['count==0'], ['count==0'], ['count>0']]);
  const soak = k6Options(GENERATED.soak!, { capacity: 20, secondsScale: 0.1 });
  assert.deepEqual(soak.thresholds.rss_growth_mib, ['value<=64']);
  assert.equal(soak.scenarios.rss!.duration, '180s');
});
