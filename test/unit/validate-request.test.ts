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
    assert.deepEqual(caption.query({ max_labels: '3', precision_target: '0.7' }), { max_labels: 3, precision_target: 0.7, features: ['objects', 'text'] });
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
      assert.throws(() => caption.query(query), (e: ServiceError) => e.code === 'invalid_request' && e.status === 400);
    });
  }

  it('lists exactly the body media types of the contract', () => {
    assert.deepEqual([...caption.contentTypes].sort(), [
      'application/json',
      'image/avif', 'image/gif', 'image/heif', 'image/jpeg', 'image/png', 'image/tiff', 'image/webp', 'multipart/form-data',
    ]);
  });
});
