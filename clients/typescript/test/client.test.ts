import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ImgsenseClient, ImgsenseProblemError } from '../src/index.js';
import { FIXTURES, SKIMAGE, startService, type Service } from './service.js';

let service: Service;
let client: ImgsenseClient;

async function rejection(promise: Promise<unknown>): Promise<ImgsenseProblemError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ImgsenseProblemError, `expected ImgsenseProblemError, got ${String(error)}`);
  return error;
}

describe('the TypeScript client against the real service', () => {
  before(async () => {
    service = await startService();
    client = new ImgsenseClient({ baseUrl: service.url });
  });
  after(() => service.stop());

  it('when given the cat photo as bytes, then caption answers a hedged sentence about a cat', async () => {
    const result = await client.caption(readFileSync(`${SKIMAGE}/chelsea.png`));
    assert.match(result.alt_text, /^[A-Z].*cat.*\.$/);
    assert.ok(result.labels.length > 0 && result.label.path.length > 0);
  });

  it('when given a Blob and max_labels, then caption passes the query', async () => {
    const blob = new Blob([readFileSync(`${SKIMAGE}/coffee.png`)], { type: 'image/png' });
    const result = await client.caption(blob, { max_labels: 2 });
    assert.equal(result.labels.length, 2);
  });

  it('when asked for a subset of categories, then moderate scores only those', async () => {
    const result = await client.moderate(readFileSync(`${SKIMAGE}/astronaut.png`), { categories: ['weapons', 'alcohol'] });
    assert.deepEqual(result.categories.map((c) => c.id).sort(), ['alcohol', 'weapons']);
    assert.equal(result.flagged, false);
  });

  it('when a threshold override is out of bounds, then the deepObject query reaches the service and 400 invalid_request is thrown', async () => {
    const error = await rejection(client.moderate(readFileSync(`${SKIMAGE}/chelsea.png`), { thresholds: { weapons: 0.01 } }));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_request');
    assert.match(error.detail ?? '', /weapons/);
  });

  it('when the upload is a PDF, then ImgsenseProblemError carries the 415 problem document', async () => {
    const error = await rejection(client.caption(readFileSync(`${FIXTURES}/document.pdf`)));
    assert.equal(error.status, 415);
    assert.equal(error.code, 'unsupported_media_type');
    assert.equal(error.type, 'https://imgsense.invalid/problems/unsupported-media-type');
    assert.equal(typeof error.title, 'string');
    assert.equal(error.problem.status, 415);
    assert.ok(error.requestId);
  });

  it('when the image is truncated, then the problem is 422 corrupt_image', async () => {
    const error = await rejection(client.caption(readFileSync(`${FIXTURES}/cat-truncated.jpg`)));
    assert.equal(error.status, 422);
    assert.equal(error.code, 'corrupt_image');
  });
});

describe('the TypeScript client against a service with API keys and a rate limit', () => {
  const KEY = 'test-key-0123456789';
  let keyed: Service;
  before(async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { createHash } = await import('node:crypto');
    const { tmpdir } = await import('node:os');
    const file = `${mkdtempSync(`${tmpdir()}/imgsense-keys-`)}/keys`;
    writeFileSync(file, `tests ${createHash('sha256').update(KEY).digest('hex')}\n`);
    keyed = await startService({ API_KEYS_FILE: file, RATE_LIMIT_PER_MINUTE: '2', MODERATION_ENABLED: 'false', DETECTOR_ENABLED: 'false' });
  });
  after(() => keyed.stop());

  it('when no key is given, then 401 unauthorized; with the key, the caption; past the limit, 429 with Retry-After', async () => {
    const photo = readFileSync(`${FIXTURES}/cat.jpg`);
    const anonymous = await rejection(new ImgsenseClient({ baseUrl: keyed.url }).caption(photo));
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.code, 'unauthorized');
    const withKey = new ImgsenseClient({ baseUrl: keyed.url, apiKey: KEY });
    assert.match((await withKey.caption(photo)).alt_text, /\.$/);
    await withKey.caption(photo);
    const limited = await rejection(withKey.caption(photo));
    assert.equal(limited.status, 429);
    assert.equal(limited.code, 'rate_limited');
    assert.ok(limited.retryAfterSeconds !== undefined && limited.retryAfterSeconds > 0);
  });
});
