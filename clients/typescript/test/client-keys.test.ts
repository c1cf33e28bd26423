import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { ImgsenseClient, ImgsenseProblemError } from '../src/index.js';
import { FIXTURES, startService, type Service } from './service.js';

async function rejection(promise: Promise<unknown>): Promise<ImgsenseProblemError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(
    error instanceof ImgsenseProblemError,
    `expected ImgsenseProblemError, got ${String(error)} ${String((error as Error).cause ?? '')}`,
  );
  return error;
}

describe('the TypeScript client against a service with API keys and a rate limit', () => {
  const KEY = 'test-key-0123456789';
  let keyed: Service;
  before(async () => {
    const file = `${mkdtempSync(`${tmpdir()}/imgsense-keys-`)}/keys`;
    writeFileSync(file, `tests ${createHash('sha256').update(KEY).digest('hex')}\n`);
    keyed = await startService({
      API_KEYS_FILE: file,
      RATE_LIMIT_PER_MINUTE: '2',
      MODERATION_ENABLED: 'false',
      DETECTOR_ENABLED: 'false',
      OCR_MODE: 'off',
    });
  });
  after(() => keyed.stop());

  it('when no key is given, then 401 unauthorized; with the key, the caption; past the limit, 429 with Retry-After', async () => {
    const photo = readFileSync(`${FIXTURES}/cat.jpg`);
    const anonymous = await rejection(new ImgsenseClient({ baseUrl: keyed.url }).caption(photo));
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.code, 'unauthorized');
    // retries 0: this client must see the 429 itself rather than wait out its Retry-After.
    const withKey = new ImgsenseClient({ baseUrl: keyed.url, apiKey: KEY, retries: 0 });
    assert.match((await withKey.caption(photo)).alt_text, /\.$/);
    await withKey.caption(photo);
    const limited = await rejection(withKey.caption(photo));
    assert.equal(limited.status, 429);
    assert.equal(limited.code, 'rate_limited');
    assert.ok(limited.retryAfterSeconds !== undefined && limited.retryAfterSeconds > 0);
  });
});
