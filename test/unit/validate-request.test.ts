import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operationValidator } from '../../src/http/validate-request.js';
import type { ServiceError } from '../../src/errors.js';

const caption = operationValidator<{ max_labels?: number; precision_target?: number; features?: string[] }>('/caption', 'post');

describe('operationValidator for POST /caption (compiled from openapi.yaml)', () => {
  it('when the query is empty, then the spec defaults apply (max_labels=5, features=objects,text)', () => {
    assert.deepEqual(caption.query({}), { max_labels: 5, features: ['objects', 'text'] });
  });

  it('when parameters are numeric strings, then they are coerced', () => {
    assert.deepEqual(caption.query({ max_labels: '3', precision_target: '0.7' }), {
      max_labels: 3,
      precision_target: 0.7,
      features: ['objects', 'text'],
    });
  });

  it('when features is a comma-separated list (form, explode false), then it is split; empty is no feature', () => {
    assert.deepEqual(caption.query({ features: 'objects,text_always' }).features, ['objects', 'text_always']);
    assert.deepEqual(caption.query({ features: '' }).features, []);
  });

  const bad: Record<string, unknown>[] = [
    { max_labels: '0' },
    { max_labels: 'lots' },
    { max_labels: '2.5' },
    { max_labels: ['2', '3'] },
    { precision_target: '0' },
    { precision_target: '1.01' },
  ];
  for (const query of bad) {
    it(`when the query is ${JSON.stringify(query)}, then it is refused as invalid_request`, () => {
      assert.throws(
        () => caption.query(query),
        (e: ServiceError) => e.code === 'invalid_request' && e.status === 400,
      );
    });
  }

  it('lists exactly the body media types of the contract', () => {
    assert.deepEqual([...caption.contentTypes].sort(), [
      'application/json',
      'image/avif',
      'image/gif',
      'image/heif',
      'image/jpeg',
      'image/png',
      'image/tiff',
      'image/webp',
      'multipart/form-data',
    ]);
  });
});

const moderate = operationValidator<{ categories?: string[]; thresholds?: Record<string, number> }>('/moderate', 'post');

/** The `detail` of the invalid_request that `run` throws. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    const e = error as ServiceError;
    assert.equal(e.code, 'invalid_request');
    return e.detail ?? '';
  }
  assert.fail('the query was accepted');
}

describe('operationValidator is strict: only the parameters openapi.yaml names', () => {
  it('when the query has a parameter the spec does not name (?bogus=1), then 400 naming it', () => {
    assert.match(
      refusal(() => caption.query({ bogus: '1' })),
      /unknown parameter bogus/,
    );
  });

  it('when a threshold is sent flat (?sexual=0.8) instead of thresholds[sexual]=0.8, then 400 naming sexual', () => {
    assert.match(
      refusal(() => moderate.query({ sexual: '0.8' })),
      /unknown parameter sexual/,
    );
  });

  it('when thresholds[sexual]=0.8 (deepObject), then it is read as { sexual: 0.8 }', () => {
    assert.deepEqual(moderate.query({ 'thresholds[sexual]': '0.8' }).thresholds, { sexual: 0.8 });
  });

  it('when a threshold is out of range or not a number, then 400 naming thresholds[key]', () => {
    assert.match(
      refusal(() => moderate.query({ 'thresholds[sexual]': '1.5' })),
      /thresholds\[sexual\] must be <= 1/,
    );
    assert.match(
      refusal(() => moderate.query({ 'thresholds[sexual]': 'high' })),
      /thresholds\[sexual\] must be number/,
    );
  });

  it('when a threshold key is not a category name, then 400 naming the key', () => {
    assert.match(
      refusal(() => moderate.query({ 'thresholds[Bad]': '0.5' })),
      /thresholds\[Bad\]/,
    );
  });

  it('when max_labels is malformed, then 400 naming max_labels', () => {
    assert.match(
      refusal(() => caption.query({ max_labels: 'lots' })),
      /max_labels must be integer/,
    );
  });

  it('when a feature is not in the enum, then 400 naming features', () => {
    assert.match(
      refusal(() => caption.query({ features: 'objects,faces' })),
      /features\[1\] must be equal to one of the allowed values/,
    );
  });
});
