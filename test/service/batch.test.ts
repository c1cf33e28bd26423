import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { projectPath } from '../../src/project-root.js';
import type { RunningServer } from '../../src/server.js';
import { boot, expectProblem, fixture, metricValue, postImageTo } from '../support/service.js';
import { photo } from '../support/photos.js';

const spec = parse(readFileSync(projectPath('openapi.yaml'), 'utf8'));
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'openapi.json', components: spec.components });
const validators = {
  caption: ajv.compile({ $ref: 'openapi.json#/components/schemas/CaptionBatchResponse' }),
  moderation: ajv.compile({ $ref: 'openapi.json#/components/schemas/ModerationBatchResponse' }),
};

const CHELSEA = photo('chelsea.png');
const COFFEE = photo('coffee.png');
const MAX = 4;

let service: RunningServer;

type Part = [field: string, bytes: Uint8Array | string, type?: string];

function form(parts: readonly Part[]): FormData {
  const body = new FormData();
  parts.forEach(([field, bytes, type], i) =>
    typeof bytes === 'string'
      ? body.append(field, bytes)
      : body.append(field, new Blob([bytes], { type: type ?? 'image/png' }), `part-${i}`),
  );
  return body;
}

function postBatch(route: string, parts: readonly Part[], query = ''): Promise<Response> {
  return fetch(`${service.url}${route}${query}`, { method: 'POST', body: form(parts) });
}

async function batchResults(route: string, parts: readonly Part[], query = ''): Promise<any[]> {
  const response = await postBatch(route, parts, query);
  const body: any = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  const validate = route === '/caption/batch' ? validators.caption : validators.moderation;
  assert.ok(validate({ ...body }), JSON.stringify(validate.errors));
  assert.equal(body.results.length, parts.length);
  return body.results;
}

async function single(route: string, bytes: Uint8Array, query = ''): Promise<any> {
  const response = await postImageTo(service.url, route, bytes, 'image/png', query);
  assert.equal(response.status, 200);
  return response.json();
}

/** The same answer up to float noise: a batched forward pass may differ from a single one in the last bits. */
function assertSameResult(batched: any, alone: any): void {
  assert.deepEqual(JSON.parse(JSON.stringify(batched, roundFloats)), JSON.parse(JSON.stringify(alone, roundFloats)));
}
const roundFloats = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isInteger(value) ? Number(value.toFixed(3)) : value;

describe('POST /caption/batch and /moderate/batch with real models', () => {
  before(async () => {
    // A longer batching wait than the default 2 ms, so that the micro-batching test below does not hang on decode timing.
    service = await boot({ BATCH_MAX_IMAGES: String(MAX), BODY_LIMIT_BYTES: String(1024 * 1024), BATCH_MAX_WAIT_MS: '100' });
  });
  after(() => service.drain());

  it('when the parts are two photos, a text file and an empty part, then each gets its own result in part order', async () => {
    const results = await batchResults('/caption/batch', [
      ['image', CHELSEA],
      ['image', fixture('note.txt'), 'text/plain'],
      ['image', COFFEE],
      ['image', new Uint8Array(0)],
    ]);
    assertSameResult(results[0], await single('/caption', CHELSEA));
    assert.equal(results[1].status, 415);
    assert.equal(results[1].code, 'unsupported_media_type');
    assert.equal(results[1].instance, '/caption/batch');
    assertSameResult(results[2], await single('/caption', COFFEE));
    assert.equal(results[3].status, 400);
    assert.equal(results[3].code, 'empty_body');
  });

  it('when the query sets max_labels=2, then every caption in the batch has two labels', async () => {
    const results = await batchResults(
      '/caption/batch',
      [
        ['image', CHELSEA],
        ['image', fixture('cat.jpg'), 'image/jpeg'],
      ],
      '?max_labels=2',
    );
    for (const result of results) assert.equal(result.labels.length, 2);
  });

  it('when a part is a corrupt JPEG, then that part is a 422 and the others are captioned', async () => {
    const results = await batchResults('/caption/batch', [
      ['image', fixture('cat-truncated.jpg'), 'image/jpeg'],
      ['image', CHELSEA],
    ]);
    assert.equal(results[0].code, 'corrupt_image');
    assert.equal(results[0].status, 422);
    assert.match(results[1].alt_text, /cat/);
  });

  it('when parts in other fields come along, then they are ignored and only the image parts have results', async () => {
    const response = await postBatch('/caption/batch', [
      ['note', 'hello'],
      ['image', CHELSEA],
      ['other', fixture('note.txt'), 'text/plain'],
    ]);
    const body: any = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.results.length, 1);
    assert.match(body.results[0].alt_text, /cat/);
  });

  it('when /moderate/batch gets a photo and a PDF, then the photo is moderated as by /moderate and the PDF is a 415', async () => {
    const results = await batchResults(
      '/moderate/batch',
      [
        ['image', CHELSEA],
        ['image', fixture('document.pdf'), 'application/pdf'],
      ],
      '?categories=weapons',
    );
    assertSameResult(results[0], await single('/moderate', CHELSEA, '?categories=weapons'));
    assert.equal(results[1].code, 'unsupported_media_type');
  });

  it('when /moderate/batch names an unknown category, then 400 before the body is read', async () => {
    await expectProblem(await postBatch('/moderate/batch', [['image', CHELSEA]], '?categories=nope'), 400, 'invalid_request');
  });

  it('when the form has no image part, then 400 missing_image_field', async () => {
    await expectProblem(await postBatch('/caption/batch', [['other', 'x']]), 400, 'missing_image_field');
  });

  it(`when the form has more than ${MAX} image parts, then 400 too_many_images`, async () => {
    const parts: Part[] = Array.from({ length: MAX + 1 }, () => ['image', fixture('cat.jpg'), 'image/jpeg']);
    await expectProblem(await postBatch('/caption/batch', parts), 400, 'too_many_images');
  });

  it('when the whole body is over BODY_LIMIT_BYTES, then 413 for the request', async () => {
    await expectProblem(
      await postBatch('/caption/batch', [
        ['image', CHELSEA],
        ['image', COFFEE],
        ['image', COFFEE],
      ]),
      413,
      'body_too_large',
    );
  });

  it('when the body is a raw image, not a form, then 415', async () => {
    await expectProblem(await postImageTo(service.url, '/caption/batch', CHELSEA, 'image/png'), 415, 'unsupported_media_type');
  });

  it('when the query is invalid, then 400 invalid_request', async () => {
    await expectProblem(await postBatch('/caption/batch', [['image', CHELSEA]], '?max_labels=0'), 400, 'invalid_request');
  });

  it('when a batch holds several images, then they share inference batches (the same pool as single requests)', async () => {
    const sizes = async () => {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      const model = { model: 'efficientnet-lite0' };
      return {
        sum: metricValue(text, 'imgsense_inference_batch_size_sum', model),
        count: metricValue(text, 'imgsense_inference_batch_size_count', model),
      };
    };
    const earlier = await sizes();
    await batchResults(
      '/caption/batch',
      Array.from({ length: MAX }, (): Part => ['image', fixture('cat.jpg'), 'image/jpeg']),
    );
    const later = await sizes();
    assert.equal(later.sum - earlier.sum, MAX);
    assert.ok(later.count - earlier.count < MAX, `${MAX} images took ${later.count - earlier.count} batches`);
  });

  it('when the form ends before its closing boundary, then 400 truncated_body for the request', async () => {
    const boundary = 'imgsense-test-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;
    const body = Buffer.concat([Buffer.from(head), CHELSEA.subarray(0, 5000)]);
    const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
    await expectProblem(await fetch(`${service.url}/caption/batch`, { method: 'POST', headers, body }), 400, 'truncated_body');
  });

  it('when the method is GET, then 405 method_not_allowed', async () => {
    await expectProblem(await fetch(`${service.url}/caption/batch`), 405, 'method_not_allowed');
  });

  it('when the batch routes are specified, then they take the same query parameters as the single routes', () => {
    const names = (path: string) => spec.paths[path].post.parameters.map(({ name, schema }: any) => ({ name, schema }));
    assert.deepEqual(names('/caption/batch'), names('/caption'));
    assert.deepEqual(names('/moderate/batch'), names('/moderate'));
  });
});
