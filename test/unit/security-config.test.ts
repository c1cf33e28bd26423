import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config: RATE_LIMIT_PER_MINUTE and CORS_ORIGINS (issue 12, items 3 and 4)', () => {
  it('when neither is set, then rate limits and CORS are off', () => {
    const config = loadConfig({});
    assert.equal(config.rateLimitPerMinute, 0);
    assert.deepEqual(config.corsOrigins, []);
  });

  it('when CORS_ORIGINS lists origins with spaces and an empty entry, then they are trimmed and kept in order', () => {
    const config = loadConfig({ CORS_ORIGINS: ' https://app.example, ,http://localhost:3000 ', RATE_LIMIT_PER_MINUTE: '60' });
    assert.deepEqual(config.corsOrigins, ['https://app.example', 'http://localhost:3000']);
    assert.equal(config.rateLimitPerMinute, 60);
    assert.ok(Object.isFrozen(config.corsOrigins));
  });

  it('when an entry is not exactly scheme://host[:port], then each bad one is named', () => {
    const found = problems({
      CORS_ORIGINS: 'https://ok.example,https://app.example/,*,app.example,ftp://x.example,https://a.example/path',
    });
    assert.equal(found.length, 1);
    for (const bad of ['"https://app.example/"', '"*"', '"app.example"', '"ftp://x.example"', '"https://a.example/path"'])
      assert.ok(found[0]!.includes(bad), found[0]);
    assert.ok(!found[0]!.includes('ok.example'));
  });

  it('when RATE_LIMIT_PER_MINUTE is negative or not an integer, then it is named', () => {
    assert.match(problems({ RATE_LIMIT_PER_MINUTE: '-1' })[0]!, /^RATE_LIMIT_PER_MINUTE="-1"/);
    assert.match(problems({ RATE_LIMIT_PER_MINUTE: '1.5' })[0]!, /^RATE_LIMIT_PER_MINUTE="1.5"/);
  });
});
