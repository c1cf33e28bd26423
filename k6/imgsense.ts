/**
 * The load scenarios of load/scenarios.ts for k6 (CI here runs them with vegeta: `npm run load:<name>`).
 *   k6 run -e SCENARIO=stress -e CAPACITY=20 -e BASE_URL=http://localhost:8080 k6/imgsense.ts
 * SCENARIO smoke|load|stress|spike|soak (smoke); CAPACITY req/s that 1x means (20: a 2-core machine, docs/performance.md 8);
 * IMAGE the photo posted (scikit-image's chelsea.png); IMAGE_TYPE its Content-Type (from the extension); ROUTE (/caption);
 * SECONDS_SCALE multiplies every stage's length (1); API_KEY sent as Bearer; SUMMARY_FILE the JSON summary (k6-<scenario>.json).
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
import { k6Options } from './options.ts';
import { SCENARIOS } from './scenarios.generated.ts';
import { summaryFiles, type SummaryData } from './summary.ts';

const NAME = __ENV.SCENARIO ?? 'smoke';
const SCENARIO = SCENARIOS[NAME] ?? unknownScenario(NAME);
const BASE_URL = (__ENV.BASE_URL ?? 'http://localhost:8080').replace(/\/$/, '');
const ROUTE = __ENV.ROUTE ?? '/caption';
const IMAGE = __ENV.IMAGE ?? '/usr/lib/python3/dist-packages/skimage/data/chelsea.png';
const TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif', gif: 'image/gif' };
const IMAGE_TYPE = __ENV.IMAGE_TYPE ?? TYPES[IMAGE.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
const CAPACITY = Number(__ENV.CAPACITY ?? 20);
const SECONDS_SCALE = Number(__ENV.SECONDS_SCALE ?? 1);
if (!(CAPACITY > 0) || !(SECONDS_SCALE > 0)) throw new Error('CAPACITY and SECONDS_SCALE must be positive numbers');
const AUTH: Record<string, string> = __ENV.API_KEY ? { Authorization: `Bearer ${__ENV.API_KEY}` } : {};
/** What every successful answer of a route must contain, as load/run-scenario.ts checks it. */
const BODY_MARKERS: Record<string, string> = { '/caption': '"alt_text"' };

function unknownScenario(name: string): never {
  throw new Error(`SCENARIO must be one of ${Object.keys(SCENARIOS).join(', ')}, not ${name}`);
}

// Read once per VU in the init context (k6 has no shared binary data): about 240 KB each for chelsea.png.
const photo = open(IMAGE, 'b');

export const options = k6Options(SCENARIO, { capacity: CAPACITY, secondsScale: SECONDS_SCALE });

const requestErrors = new Rate('request_errors');
const unexpectedFailures = new Counter('unexpected_failures');
const shed = new Counter('shed_with_retry_after');
const recoveryRequests = new Counter('recovery_requests');
const recoveryFailures = new Counter('recovery_failures');
const answersWithoutContent = new Counter('answers_without_content');
const rssMiB = new Trend('rss_mib');
const rssGrowthMiB = new Gauge('rss_growth_mib');

/** One request of a stage: the photo as the body, judged as load/verdict.ts judges vegeta's results. */
export function postImage(): void {
  const res = http.post(`${BASE_URL}${ROUTE}`, photo, { headers: { 'Content-Type': IMAGE_TYPE, ...AUTH }, timeout: '30s' });
  const ok = res.status >= 200 && res.status < 300;
  const shedProperly = res.status === 503 && /^\d+$/.test(res.headers['Retry-After'] ?? '');
  requestErrors.add(!ok);
  unexpectedFailures.add(!ok && !shedProperly ? 1 : 0);
  shed.add(shedProperly ? 1 : 0);
  const marker = BODY_MARKERS[ROUTE];
  const hasContent = !ok || marker === undefined || check(res, { [`2xx body has ${marker}`]: (r) => String(r.body).includes(marker) });
  answersWithoutContent.add(hasContent ? 0 : 1);
  if (options.scenarios?.[exec.scenario.name]?.tags?.recovery === 'true') {
    recoveryRequests.add(1);
    recoveryFailures.add(res.status === 200 ? 0 : 1);
  }
}

let firstRss: number | undefined;

/** The server's RSS from /metrics; the growth since this VU's first sample is what the soak threshold bounds. */
export function sampleRss(): void {
  const res = http.get(`${BASE_URL}/metrics`, { headers: AUTH });
  const line = String(res.body ?? '').split('\n').find((l) => l.startsWith('process_resident_memory_bytes '));
  if (!line) return;
  const mib = Number(line.split(' ')[1]) / 2 ** 20;
  firstRss ??= mib;
  rssMiB.add(mib);
  rssGrowthMiB.add(mib - firstRss);
}

/** k6's end-of-test hook: a short verdict on stdout and the full summary as JSON in SUMMARY_FILE. */
export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryFiles(data, { scenario: SCENARIO, capacity: CAPACITY, image: IMAGE, file: __ENV.SUMMARY_FILE ?? `k6-${NAME}.json` });
}
