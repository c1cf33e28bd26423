import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ConfigError, DEFAULT_MODERATION_POLICY, loadConfig } from '../../src/config.js';
import { operationValidator } from '../../src/http/validate-request.js';
import type { ServiceError } from '../../src/errors.js';

describe('moderation configuration', () => {
  it('when nothing is set, then moderation is on with the default policy and NSFW bundle', () => {
    assert.deepEqual(loadConfig({}).moderation, { enabled: true, policyFile: DEFAULT_MODERATION_POLICY });
    assert.equal(loadConfig({}).serving.nsfw?.bundle, 'models/nsfw-mobilenetv2');
  });

  it('when the variables are set, then they are used', () => {
    const config = loadConfig({ MODERATION_ENABLED: 'false', MODERATION_POLICY: '/etc/p.json', NSFW_MODEL_DIR: '/m/nsfw' });
    assert.deepEqual(config.moderation, { enabled: false, policyFile: '/etc/p.json' });
    assert.equal(config.serving.nsfw?.bundle, '/m/nsfw');
    assert.equal(loadConfig({ MODERATION_ENABLED: '1' }).moderation.enabled, true);
    assert.ok(Object.isFrozen(config.moderation));
  });

  it('when MODERATION_ENABLED is not a boolean, then it is named with the other bad variables', () => {
    assert.throws(
      () => loadConfig({ MODERATION_ENABLED: 'yes please', PORT: 'x' }),
      (error: ConfigError) => error.problems.length === 2 && /MODERATION_ENABLED="yes please"/.test(error.message),
    );
  });
});

type ModerateQuery = { categories?: string[]; thresholds?: Record<string, number> };
const moderate = operationValidator<ModerateQuery>('/moderate', 'post');

describe('operationValidator for POST /moderate (styles from openapi.yaml)', () => {
  it('when categories is comma-separated (form, explode false), then it becomes a list', () => {
    assert.deepEqual(moderate.query({ categories: 'weapons,alcohol' }), { categories: ['weapons', 'alcohol'] });
  });

  it('when thresholds use deepObject keys, then they become an object of numbers', () => {
    assert.deepEqual(moderate.query({ 'thresholds[weapons]': '0.3', 'thresholds[alcohol]': '0.25' }), {
      thresholds: { weapons: 0.3, alcohol: 0.25 },
    });
  });

  const bad: Record<string, unknown>[] = [
    { categories: '' },
    { categories: 'weapons,weapons' },
    { categories: 'Weapons' },
    { 'thresholds[weapons]': '1.5' },
    { 'thresholds[weapons]': 'high' },
    { 'thresholds[]': '0.3' },
    { 'thresholds[weapons]': ['0.3', '0.4'] },
    { thresholds: '0.3' },
  ];
  for (const query of bad) {
    it(`when the query is ${JSON.stringify(query)}, then it is refused as invalid_request`, () => {
      assert.throws(
        () => moderate.query(query),
        (e: ServiceError) => e.code === 'invalid_request' && e.status === 400,
      );
    });
  }
});
