import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig: batch and image by URL', () => {
  it('when the environment is empty, then batches take 16 parts and image by URL is off, https only, loopback refused', () => {
    const config = loadConfig({});
    assert.equal(config.batchMaxImages, 16);
    assert.deepEqual(config.imageUrl, {
      allowedHosts: [],
      allowHttp: false,
      timeoutMs: 10_000,
      maxRedirects: 3,
      allowPrivateAddresses: false,
    });
    assert.ok(Object.isFrozen(config.imageUrl) && Object.isFrozen(config.imageUrl.allowedHosts));
  });

  it('when hosts are listed, then they are written as URLs write them (lower case, IPv6 and IPv4 literals normalised)', () => {
    const { allowedHosts } = loadConfig({
      IMAGE_URL_ALLOWED_HOSTS: ' Images.Example.org, *.CDN.example.org,[::ffff:127.0.0.1],127.1,img.org:8443,[::1]:80 ',
    }).imageUrl;
    assert.deepEqual(allowedHosts, ['images.example.org', '*.cdn.example.org', '[::ffff:7f00:1]', '127.0.0.1', 'img.org:8443', '[::1]']);
  });

  it('when entries carry a bad port, a path, a scheme or a bad wildcard, then each is named', () => {
    const env = { IMAGE_URL_ALLOWED_HOSTS: 'ok.org,x.org:99999,a.org/b,https://c.org,*.,*.*.d.org,[:::]', BATCH_MAX_IMAGES: '0' };
    assert.throws(
      () => loadConfig(env),
      (error: ConfigError) =>
        ['x.org:99999', 'a.org/b', 'https://c.org', '"*."', '*.*.d.org', '[:::]', 'BATCH_MAX_IMAGES'].every((bad) =>
          error.message.includes(bad),
        ) && !error.message.includes('"ok.org"'),
    );
  });
});
