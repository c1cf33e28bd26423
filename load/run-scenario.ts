/** Load-test driver: `tsx load/run-scenario.ts <smoke|load|stress|spike|soak>`; exits 1 when a threshold fails. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPhotoSet } from '../bench/kit/photo-set.js';
import { histogramNames, reportedMean, scrapeMetrics, total, type Samples } from '../bench/kit/prometheus.js';
import { resultPath, writeResultFile } from '../bench/kit/results-file.js';
import { startTarget, type TargetServer } from '../bench/kit/target-server.js';
import { attack, report, results, writeTargets } from '../bench/kit/vegeta.js';
import { capacityFor } from './capacity.js';
import { METRIC_PREFIX } from '../src/observability/metrics.js';
import { SCENARIOS, type Scenario, type Stage } from './scenarios.js';
import { judge, outcomes, type StageOutcome } from './verdict.js';

const RESULTS_DIR = process.env.LOAD_RESULTS_DIR ?? 'load/results';
const ROUTE = process.env.LOAD_ROUTE ?? '/caption';
/** What every successful answer of a route must contain (checked on the first 512 bytes). */
const BODY_MARKERS: Record<string, string> = { '/caption': '"alt_text"' };

function stageRate(stage: Stage, capacityRps: number | undefined): number {
  if ('perSecond' in stage.rate) return stage.rate.perSecond;
  if (capacityRps === undefined) throw new Error('capacity unknown');
  return Math.max(0.2, stage.rate.capacity * capacityRps);
}

function sampleRss(target: TargetServer, everySeconds: number | undefined, into: number[]): () => void {
  if (!everySeconds) return () => {};
  const take = () =>
    scrapeMetrics(target.baseUrl)
      .then((s) => into.push(total(s, 'process_resident_memory_bytes') / 2 ** 20))
      .catch(() => {});
  const timer = setInterval(take, everySeconds * 1000);
  return () => clearInterval(timer);
}

function stageTimings(before: Samples, after: Samples): Record<string, number> {
  const timings: Record<string, number> = {};
  for (const name of histogramNames(after)) {
    if (name.startsWith(`${METRIC_PREFIX}nodejs_`)) continue;
    const mean = reportedMean(before, after, name);
    // Keys without the prefix, so result files stay comparable with those written before it.
    const key = name.slice(METRIC_PREFIX.length);
    if (mean !== undefined) timings[key.endsWith('_seconds') ? `${key.slice(0, -'_seconds'.length)}_ms` : key] = mean;
  }
  return timings;
}

async function runStages(scenario: Scenario, target: TargetServer, workDir: string, targetsFile: string) {
  const capacity = scenario.stages.some((s) => 'capacity' in s.rate) ? await capacityFor(targetsFile, workDir) : undefined;
  if (capacity)
    console.log(
      `  capacity: ${capacity.rps.toFixed(1)} req/s${'workers' in capacity ? ` (closed loop, ${capacity.workers} in flight, ${capacity.seconds} s)` : ' (CAPACITY_RPS)'}`,
    );
  const rss: number[] = [];
  const stopRss = sampleRss(target, scenario.rssEverySeconds, rss);
  const before = await scrapeMetrics(target.baseUrl);
  const runs = [];
  for (const [i, stage] of scenario.stages.entries()) {
    const rate = stageRate(stage, capacity?.rps);
    const outputFile = join(workDir, `stage-${i}.bin`);
    process.stdout.write(`  stage ${stage.label}: ${rate.toFixed(1)} req/s for ${stage.seconds} s\n`);
    await attack({ targetsFile, outputFile, rate, seconds: stage.seconds, timeoutSeconds: 30 });
    runs.push({ stage, rate, outputFile });
  }
  stopRss();
  const after = await scrapeMetrics(target.baseUrl);
  const stages: (StageOutcome & { rate: number; seconds: number; report: unknown })[] = [];
  for (const { stage, rate, outputFile } of runs) {
    const [summary, each] = await Promise.all([report([outputFile]), results([outputFile])]);
    stages.push({ label: stage.label, recovery: stage.recovery ?? false, rate, seconds: stage.seconds, report: summary, results: each });
  }
  return { capacity, stages, rss, timings: stageTimings(before, after) };
}

async function main(): Promise<void> {
  const scenario = SCENARIOS[process.argv[2] ?? ''];
  if (!scenario) throw new Error(`usage: run-scenario <${Object.keys(SCENARIOS).join('|')}>`);
  console.log(`load:${scenario.name} — ${scenario.description}`);
  const workDir = await mkdtemp(join(tmpdir(), `load-${scenario.name}-`));
  const target = await startTarget();
  try {
    const targetsFile = join(workDir, 'targets.jsonl');
    await writeTargets(targetsFile, `${target.baseUrl}${ROUTE}`, await loadPhotoSet());
    const run = await runStages(scenario, target, workDir, targetsFile);
    const checks = judge(run.stages, scenario.thresholds, run.rss, BODY_MARKERS[ROUTE]);
    const pass = checks.every((c) => c.pass);
    const summary = {
      scenario: scenario.name,
      route: ROUTE,
      target: process.env.TARGET_URL ?? 'started here',
      at: new Date().toISOString(),
      pass,
      checks,
      capacity: run.capacity && {
        rps: Math.round(run.capacity.rps * 100) / 100,
        ...('workers' in run.capacity ? { workers: run.capacity.workers, report: run.capacity.report } : { given: true }),
      },
      stages: run.stages.map(({ results: r, ...s }) => ({ ...s, outcomes: outcomes(r) })),
      rss_mib: run.rss.map((v) => Math.round(v * 10) / 10),
      server_stage_means_ms: run.timings,
    };
    const file = await writeResultFile(resultPath(RESULTS_DIR, scenario.name, summary.at), summary);
    for (const s of summary.stages)
      console.log(`  ${s.label.padEnd(9)} ${s.rate.toFixed(1).padStart(6)} req/s  ${JSON.stringify(s.outcomes)}`);
    for (const c of checks) console.log(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name.padEnd(24)} ${c.actual.padEnd(24)} (${c.limit})`);
    console.log(`load:${scenario.name} ${pass ? 'passed' : 'FAILED'}; summary: ${file}`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    await target.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`load: ${error.message}`);
  process.exitCode = 1;
});
