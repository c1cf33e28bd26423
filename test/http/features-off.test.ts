// A deployment with its optional parts off (moderation, OCR, image by URL): which routes answer, which models load.
// One stub-pool boot: what is tested is the configuration, not what a model says.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, bootStub, expectProblem, fixture, postImageTo } from '../support/service.js';

const CAT = fixture('cat.jpg');
const TERMINAL = fixture('text-terminal-03.png');

interface ReadyModel {
  name: string;
  task: string;
}

function batchForm(image: Buffer): FormData {
  const body = new FormData();
  body.append('image', new Blob([image], { type: 'image/jpeg' }), 'part-0');
  return body;
}

describe('a deployment with MODERATION_ENABLED=false, OCR_MODE=off and no image-URL host', () => {
  let service: RunningServer;
  let models: ReadyModel[];
  before(async () => {
    service = await bootStub({ MODERATION_ENABLED: 'false', OCR_MODE: 'off' });
    models = ((await (await fetch(`${service.url}/readyz`)).json()) as { models: ReadyModel[] }).models;
  });
  after(() => service.drain());

  it('when /moderate is called, then 404 not_found says it is disabled, no NSFW model is loaded, and /caption serves', async () => {
    const body = await expectProblem(await postImageTo(service.url, '/moderate', CAT, 'image/jpeg'), 404, 'not_found');
    assert.match(body.detail, /disabled/);
    assert.ok(
      models.every((m) => m.task !== 'nsfw'),
      JSON.stringify(models),
    );
    assert.equal((await postImageTo(service.url, '/caption', CAT, 'image/jpeg')).status, 200);
  });

  it('when /moderate/batch is called, then 404 like /moderate, and /caption/batch still answers', async () => {
    const post = (route: string) => fetch(`${service.url}${route}`, { method: 'POST', body: batchForm(CAT) });
    await expectProblem(await post('/moderate/batch'), 404, 'not_found');
    assert.equal((await post('/caption/batch')).status, 200);
  });

  it('when a screenshot is sent, then no text field and no OCR model loaded', async () => {
    const response = await postImageTo(service.url, '/caption', TERMINAL, 'image/png');
    const body = (await response.json()) as { text?: unknown };
    assert.equal(response.status, 200, JSON.stringify(body));
    assertMatchesSpec('caption', body);
    assert.equal(body.text, undefined);
    assert.ok(models.length > 0 && models.every((m) => !m.task.startsWith('text_')), JSON.stringify(models));
  });

  it('when no host is allow-listed and the body is {"url"}, then 415 image_url_disabled', async () => {
    const request = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/x.png' }),
    };
    const body = await expectProblem(await fetch(`${service.url}/caption`, request), 415, 'image_url_disabled');
    assert.match(body.detail, /IMAGE_URL_ALLOWED_HOSTS/);
  });
});
