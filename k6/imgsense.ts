/**
 * The load scenarios of load/scenarios.ts for k6 (CI here runs them with vegeta: `npm run load:<name>`), posting the same
 * 8 photos as the vegeta runner (bench/kit/photo-set.ts; `npm run k6:photos` writes them to k6/photos/):
 *   k6 run -e SCENARIO=stress -e CAPACITY=20 -e BASE_URL=http://localhost:8080 --summary-export k6-stress.json k6/imgsense.ts
 * SCENARIO smoke|load|stress|spike|soak (smoke); CAPACITY req/s that 1x means (20: a 2-core machine, docs/performance.md 8);
 * PHOTOS_DIR where the photos are (k6/photos, relative to this file); ROUTE (/caption); SECONDS_SCALE multiplies every
 * stage's length (1); API_KEY sent as Bearer. k6 prints its standard end-of-test summary, thresholds included.
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
import { k6Options, stageAt, type RunSettings } from './options.ts';
import { PHOTOS, SCENARIOS } from './scenarios.generated.ts';

const NAME = __ENV.SCENARIO ?? 'smoke';
const SCENARIO = SCENARIOS[NAME] ?? unknownScenario(NAME);
const BASE_URL = (__ENV.BASE_URL ?? 'http://localhost:8080').replace(/\/$/, '');
const ROUTE = __ENV.ROUTE ?? '/caption';
const PHOTOS_DIR = (__ENV.PHOTOS_DIR ?? './photos').replace(/\/$/, '');
const RUN: RunSettings = { capacity: Number(__ENV.CAPACITY ?? 20), secondsScale: Number(__ENV.SECONDS_SCALE ?? 1) };
if (!(RUN.capacity > 0) || !(RUN.secondsScale > 0)) throw new Error('CAPACITY and SECONDS_SCALE must be positive numbers');
const AUTH: Record<string, string> = __ENV.API_KEY ? { Authorization: `Bearer ${__ENV.API_KEY}` } : {};
/** What every successful answer of a route must contain, as load/run-scenario.ts checks it. */
const BODY_MARKERS: Record<string, string> = { '/caption': '"alt_text"' };

function unknownScenario(name: string): never {
  throw new Error(`SCENARIO must be one of ${Object.keys(SCENARIOS).join(', ')}, not ${name}`);
}

// Read once per VU in the init context (k6 has no shared binary data): about 1.3 MB for the 8 photos.
const photos = PHOTOS.map(({ name, mimeType }) => ({ name, mimeType, bytes: open(`${PHOTOS_DIR}/${name}`, 'b') }));

export const options = k6Options(SCENARIO, RUN);

const requestErrors = new Rate('request_errors');
const unexpectedFailures = new Counter('unexpected_failures');
const shed = new Counter('shed_with_retry_after');
const answersWithoutContent = new Counter('answers_without_content');
const rssMiB = new Trend('rss_mib');
const rssGrowthMiB = new Gauge('rss_growth_mib');

/** One request: the next photo of the set as the body, tagged with its stage, judged as load/verdict.ts judges vegeta's. */
export function postImage(): void {
  const photo = photos[exec.scenario.iterationInTest % photos.length]!;
  const stage = stageAt(SCENARIO, RUN, (Date.now() - exec.scenario.startTime) / 1000);
  const tags = { stage: stage.label, recovery: String(stage.recovery ?? false), photo: photo.name };
  const res = http.post(`${BASE_URL}${ROUTE}`, photo.bytes, { headers: { 'Content-Type': photo.mimeType, ...AUTH }, timeout: '30s', tags });
  const ok = res.status >= 200 && res.status < 300;
  const shedProperly = res.status === 503 && /^\d+$/.test(res.headers['Retry-After'] ?? '');
  requestErrors.add(!ok, tags);
  unexpectedFailures.add(!ok && !shedProperly ? 1 : 0, tags);
  shed.add(shedProperly ? 1 : 0, tags);
  const marker = BODY_MARKERS[ROUTE];
  const hasContent =
    !ok || marker === undefined || check(res, { [`2xx body has ${marker}`]: (r) => String(r.body).includes(marker) }, tags);
  answersWithoutContent.add(hasContent ? 0 : 1, tags);
}

let firstRss: number | undefined;

/** The server's RSS from /metrics; the growth since this VU's first sample is what the soak threshold bounds. */
export function sampleRss(): void {
  const res = http.get(`${BASE_URL}/metrics`, { headers: AUTH, tags: { stage: 'rss' } });
  const line = String(res.body ?? '')
    .split('\n')
    .find((l) => l.startsWith('process_resident_memory_bytes '));
  if (!line) return;
  const mib = Number(line.split(' ')[1]) / 2 ** 20;
  firstRss ??= mib;
  rssMiB.add(mib);
  rssGrowthMiB.add(mib - firstRss);
}
