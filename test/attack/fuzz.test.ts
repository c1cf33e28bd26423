import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, fixture } from '../support/service.js';
import { MUTATIONS, fuzzCase, multipart, random, type FuzzCase } from './mutate.js';

// Issue 12, item 6: mutation fuzzing of every accepted format and content type on both model routes.
// `npm test` sends FUZZ_COUNT (default 400) inputs; `npm run attack` sends more; ATTACK_SEED picks another run.
const FUZZ_COUNT = Number(process.env.ATTACK_FUZZ_COUNT ?? 400);
const SEED = Number(process.env.ATTACK_SEED ?? 20261201);
const CONCURRENCY = 4;
// A mutated input is decoded under the service's own limits; 30 s is the request timeout, so more is a hang.
const PER_REQUEST_MS = 30_000;
let service: RunningServer;

interface Outcome {
  readonly status: number;
  readonly code: string;
  readonly ms: number;
}

/** The request a fuzz case makes: the bytes as the body, or inside a multipart form whose framing is sometimes mutated too. */
function requestFor(fuzz: FuzzCase): { body: Buffer; type: string } {
  if (fuzz.type !== 'multipart/form-data') return { body: fuzz.body, type: fuzz.type };
  const form = multipart(fuzz.body, 'application/octet-stream');
  const rnd = random(SEED + fuzz.index);
  if (rnd() < 0.3) return { body: MUTATIONS.flipBits!(form.body, rnd), type: form.type };
  return form;
}

/** Send one case; throws (naming the case, so it can be replayed) on a 500, a non-problem error, or a dropped connection. */
async function send(fuzz: FuzzCase, route: string): Promise<Outcome> {
  const { body, type } = requestFor(fuzz);
  const what = `case ${fuzz.index} (seed ${SEED}: ${fuzz.seed} ${fuzz.mutations.join('+')} as ${type}, ${body.length} bytes) on ${route}`;
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(`${service.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
      signal: AbortSignal.timeout(PER_REQUEST_MS),
    });
  } catch (error) {
    throw new Error(`${what}: no answer (${(error as Error).message})`);
  }
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status === 200) {
    assertMatchesSpec(route === '/caption' ? 'caption' : 'moderation', JSON.parse(text));
    return { status: 200, code: 'ok', ms };
  }
  assert.ok((response.status >= 400 && response.status < 500) || response.status === 503, `${what}: ${response.status} ${text}`);
  assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8', `${what}: ${text}`);
  const problem = JSON.parse(text);
  assertMatchesSpec('problem', problem);
  return { status: response.status, code: problem.code, ms };
}

describe(`mutation fuzzing: ${FUZZ_COUNT} mutated fixtures on /caption and /moderate (real server, real models)`, () => {
  before(async () => {
    service = await boot({});
  });
  after(() => service.drain());

  it('when mutated images of every format are posted as every accepted content type, then each answer is 200 or a 4xx / 503 problem+json, never a 500 or a dropped connection', async (t) => {
    const tally = new Map<string, number>();
    let next = 0;
    let slowest = { ms: 0, what: '' };
    const started = performance.now();
    const worker = async () => {
      for (let index = next++; index < FUZZ_COUNT; index = next++) {
        const fuzz = fuzzCase(SEED, index);
        const route = index % 2 === 0 ? '/caption' : '/moderate';
        const outcome = await send(fuzz, route);
        const key = `${outcome.status} ${outcome.code}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
        if (outcome.ms > slowest.ms)
          slowest = { ms: outcome.ms, what: `case ${index} ${fuzz.seed} ${fuzz.mutations.join('+')} on ${route}` };
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    t.diagnostic(`seed ${SEED}, ${FUZZ_COUNT} inputs in ${seconds.toFixed(1)} s; slowest ${slowest.ms.toFixed(0)} ms (${slowest.what})`);
    t.diagnostic(
      [...tally]
        .sort()
        .map(([key, n]) => `${key}: ${n}`)
        .join(', '),
    );
    assert.equal(
      [...tally.values()].reduce((a, b) => a + b, 0),
      FUZZ_COUNT,
    );
  });

  it('when the fuzzing is over, then the server still captions and moderates a real photo', async () => {
    for (const route of ['/caption', '/moderate']) {
      const response = await fetch(`${service.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg' },
        body: fixture('cat.jpg'),
      });
      assert.equal(response.status, 200);
      const body: any = await response.json();
      assertMatchesSpec(route === '/caption' ? 'caption' : 'moderation', body);
      if (route === '/caption') assert.match(body.alt_text, /cat/);
    }
    assert.equal((await fetch(`${service.url}/readyz`)).status, 200);
  });
});
