// Image by URL: an allow-listed host that resolves to a non-public address is refused before anything is fetched.
// A stub-pool boot: the refusal comes before any image reaches a model.
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { bootStub, expectProblem } from '../support/service.js';

describe('image by URL with the default address checks', () => {
  let service: RunningServer;
  before(async () => {
    service = await bootStub({
      DETECTOR_ENABLED: 'false',
      IMAGE_URL_ALLOWED_HOSTS: 'localhost,127.0.0.1:9,169.254.169.254,[::ffff:127.0.0.1]',
      IMAGE_URL_ALLOW_HTTP: 'true',
    });
  });
  after(() => service.drain());

  const refused = [
    'http://localhost/x.png',
    'http://127.0.0.1:9/chelsea.png',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:127.0.0.1]/x.png',
  ];
  for (const url of refused) {
    it(`when an allow-listed URL (${url}) leads to a non-public address, then 400 image_url_address_refused`, async () => {
      const request = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url }) };
      await expectProblem(await fetch(`${service.url}/caption`, request), 400, 'image_url_address_refused');
    });
  }
});
