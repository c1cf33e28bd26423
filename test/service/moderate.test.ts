import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadPolicy } from '../../src/moderation/policy.js';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, metricValue, postImageTo } from '../support/service.js';
import { photo } from '../support/photos.js';

const EVERYDAY = [
  ['a cat', 'chelsea.png'],
  ['a cup of coffee', 'coffee.png'],
  ['a rocket launch', 'rocket.jpg'],
  ['a motorcycle', 'motorcycle_left.png'],
] as const;
const ALL = ['sexual', 'suggestive', 'weapons', 'alcohol'];
const CAPTION = 'efficientnet-lite0';
const NSFW = 'nsfw-mobilenetv2';

let service: RunningServer;
const typeOf = (name: string) => (name.endsWith('.jpg') ? 'image/jpeg' : 'image/png');

async function moderate(name: string, query = ''): Promise<any> {
  const response = await postImageTo(service.url, '/moderate', photo(name), typeOf(name), query);
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assertMatchesSpec('moderation', body);
  return body;
}

async function problem(query: string, pattern: RegExp): Promise<void> {
  const response = await postImageTo(service.url, '/moderate', photo('chelsea.png'), 'image/png', query);
  const body: any = await response.json();
  assert.equal(response.status, 400, JSON.stringify(body));
  assertMatchesSpec('problem', body);
  assert.equal(body.code, 'invalid_request');
  assert.match(body.detail, pattern);
}

const metrics = async () => (await fetch(`${service.url}/metrics`)).text();

describe('POST /moderate with both real models and the default policy', () => {
  before(async () => {
    service = await boot();
  });
  after(() => service.drain());

  for (const [what, name] of EVERYDAY) {
    it(`when the photo is ${what}, then nothing is flagged and the answer names the policy and both models`, async () => {
      const body = await moderate(name);
      console.log(`${name.padEnd(20)} ${body.categories.map((c: any) => `${c.id}=${c.score.toFixed(4)}`).join(' ')}`);
      assert.equal(body.flagged, false);
      assert.deepEqual(
        body.categories.map((c: any) => c.id),
        ALL,
      );
      for (const category of body.categories) assert.equal(category.flagged, false, `${category.id} ${category.score}`);
      assert.equal(body.policy.version, loadPolicy().version);
      assert.deepEqual(body.models.map((m: any) => m.name).sort(), [CAPTION, NSFW]);
    });
  }

  it('when the request names caption-derived categories only, then only the caption model runs', async () => {
    const nsfwBatches = metricValue(await metrics(), 'imgsense_inference_batch_size_count', { model: NSFW });
    const body = await moderate('coffee.png', '?categories=alcohol,weapons');
    assert.deepEqual(
      body.categories.map((c: any) => c.id),
      ['weapons', 'alcohol'],
    ); // policy order
    assert.deepEqual(body.models, [{ name: CAPTION, version: '1.0.0' }]);
    assert.equal(metricValue(await metrics(), 'imgsense_inference_batch_size_count', { model: NSFW }), nsfwBatches);
  });

  it('when the request names an NSFW category only, then only the NSFW model runs', async () => {
    const body = await moderate('rocket.jpg', '?categories=sexual');
    assert.deepEqual(
      body.categories.map((c: any) => c.id),
      ['sexual'],
    );
    assert.deepEqual(
      body.models.map((m: any) => m.name),
      [NSFW],
    );
  });

  it('when a threshold is lowered within bounds, then it applies: a fundus photo at 0.86 sexual passes 0.9 and is flagged at 0.8', async () => {
    const plain = await moderate('microaneurysms.png', '?categories=sexual');
    const score = plain.categories[0].score;
    assert.ok(score > 0.8 && score < 0.9, `score ${score}`);
    assert.equal(plain.flagged, false);
    const lowered = await moderate('microaneurysms.png', '?categories=sexual&thresholds[sexual]=0.8');
    assert.deepEqual(lowered.categories[0], { ...plain.categories[0], threshold: 0.8, flagged: true });
    assert.equal(lowered.flagged, true);
    const all = await moderate('chelsea.png', '?thresholds[weapons]=0.2&thresholds[alcohol]=0.95');
    assert.deepEqual(
      all.categories.map((c: any) => c.threshold),
      [0.9, 0.9, 0.2, 0.95],
    );
  });

  it('when a threshold is outside the policy bounds or not a probability, then 400 invalid_request naming the bounds', async () => {
    await problem('?thresholds[weapons]=0.1', /outside the policy's bounds \[0\.2, 0\.95\]/);
    await problem('?thresholds[sexual]=0.995', /outside the policy's bounds/);
    await problem('?thresholds[weapons]=2', /thresholds/);
    await problem('?thresholds[weapons]=high', /thresholds/);
  });

  it('when the request names an unknown category, an empty list, or a threshold for a category it leaves out, then 400', async () => {
    await problem('?categories=violence', /unknown category 'violence'/);
    await problem('?categories=', /categories/);
    await problem('?categories=weapons&thresholds[alcohol]=0.3', /does not ask for/);
    await problem('?thresholds[violence]=0.3', /unknown category 'violence'/);
  });

  it('when /readyz and /metrics are read, then every default model (classifier, NSFW, detector, faces, OCR) is listed as loaded and warm', async () => {
    const ready: any = await (await fetch(`${service.url}/readyz`)).json();
    assertMatchesSpec('readiness', ready);
    assert.deepEqual(
      ready.models.map((m: any) => [m.name, m.task, m.warm]),
      [
        [CAPTION, 'caption', true],
        [NSFW, 'nsfw', true],
        ['nanodet-coco-288', 'detect', true],
        ['retinaface-mnet025', 'face_detect', true],
        ['ppocr-v6-det', 'text_detect', true], // one model, served at three shapes (models/serving.json)
        ['ppocr-v6-rec', 'text_recognize', true],
      ],
    );
    const text = await metrics();
    for (const model of [CAPTION, NSFW]) assert.equal(metricValue(text, 'imgsense_model_info', { model, provider: 'cpu' }), 1);
  });

  it('when moderation and caption requests arrive together under load, then all answer 200, each image is decoded once, and caption-model batches carry both', async () => {
    const before = await metrics();
    const shared = () => metricValue(before, 'imgsense_inference_batches_total', { model: CAPTION, routes: '/caption+/moderate' });
    const names = EVERYDAY.map(([, name]) => name);
    const responses = await Promise.all(
      Array.from({ length: 48 }, (_, i) => {
        const name = names[i % 4]!;
        return postImageTo(service.url, i % 2 ? '/moderate' : '/caption', photo(name), typeOf(name));
      }),
    );
    assert.deepEqual(
      responses.map((r) => r.status),
      new Array(48).fill(200),
    );
    for (const [i, response] of responses.entries()) assertMatchesSpec(i % 2 ? 'moderation' : 'caption', await response.json());
    const after = await metrics();
    const mixed = metricValue(after, 'imgsense_inference_batches_total', { model: CAPTION, routes: '/caption+/moderate' }) - shared();
    const images =
      metricValue(after, 'imgsense_inference_batch_size_sum', { model: CAPTION }) -
      metricValue(before, 'imgsense_inference_batch_size_sum', { model: CAPTION });
    assert.ok(mixed >= 1, 'no caption-model batch held images from both routes');
    assert.equal(images, 48, 'every request put exactly one image into the caption model');
    const decoded = metricValue(after, 'imgsense_images_total') - metricValue(before, 'imgsense_images_total');
    assert.equal(decoded, 48, 'every request, /moderate included, decoded its image once');
    console.log(`shared caption-model batches: ${mixed}`);
  });
});
