import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, expectProblem } from '../support/service.js';
import { photo } from '../support/photos.js';

let service: RunningServer;
const CHELSEA = photo('chelsea.png');

async function caption(query: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${service.url}/caption${query}`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', ...headers },
    body: CHELSEA,
  });
  const json: any = await response.json();
  assert.equal(response.status, 200, JSON.stringify(json));
  assertMatchesSpec('caption', json);
  return { json, language: response.headers.get('content-language'), vary: response.headers.get('vary') };
}

describe("POST /caption in the reader's language", () => {
  before(async () => {
    service = await boot({ OCR_MODE: 'off' });
  });
  after(() => service.drain());

  it('when no language is asked for, then the alt-text is English and says so', async () => {
    const { json, language } = await caption('');
    assert.equal(json.lang, 'en');
    assert.equal(language, 'en');
    assert.match(json.alt_text, /^(Probably|May be) /);
  });

  it('when lang=fr-CA, then the cat is said in French and Content-Language is fr', async () => {
    const { json, language, vary } = await caption('?lang=fr-CA');
    assert.equal(json.lang, 'fr');
    assert.equal(language, 'fr');
    assert.match(vary ?? '', /Accept-Language/i);
    assert.match(json.alt_text, /^(Probablement|Peut-être) une image de : chat/);
  });

  it('when Accept-Language prefers German, then German; an explicit lang wins over it', async () => {
    assert.equal((await caption('', { 'accept-language': 'sv;q=0.9, de-AT;q=0.8, en;q=0.5' })).json.lang, 'de');
    assert.equal((await caption('?lang=pl', { 'accept-language': 'de' })).language, 'pl');
  });

  it('when the language is not offered, then English with the header saying so', async () => {
    const { json, language } = await caption('?lang=sv');
    assert.equal(json.lang, 'en');
    assert.equal(language, 'en');
  });

  it('when lang is not a language tag, then 400 problem+json', async () => {
    const response = await fetch(`${service.url}/caption?lang=${encodeURIComponent('fr;drop')}`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: CHELSEA,
    });
    await expectProblem(response, 400, 'invalid_request');
  });

  it('when /caption/batch asks for Spanish, then every caption and the header are Spanish', async () => {
    const form = new FormData();
    form.append('image', new Blob([CHELSEA], { type: 'image/png' }), 'chelsea.png');
    const response = await fetch(`${service.url}/caption/batch?lang=es`, { method: 'POST', body: form });
    const body: any = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(response.headers.get('content-language'), 'es');
    assert.equal(body.results[0].lang, 'es');
    assert.match(body.results[0].alt_text, /gato/);
  });
});
