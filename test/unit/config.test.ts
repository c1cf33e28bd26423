import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { ConfigError, effectiveSettings, legacyNamesIn, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('when the environment is empty, then the defaults apply', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.serving.classifier?.bundle, 'models/efficientnet-lite0');
    assert.equal(config.executionProvider, 'cpu');
    assert.ok(Object.isFrozen(config));
  });

  it('when several variables are bad, then the error names every one of them', () => {
    const env = { PORT: 'eighty', BATCH_MAX_SIZE: '0', EXECUTION_PROVIDER: 'tpu', CAPTION_PRECISION_TARGET: '1.5', QUEUE_MAX: '3.5' };
    assert.throws(
      () => loadConfig(env),
      (error: ConfigError) =>
        error instanceof ConfigError &&
        error.problems.length === 5 &&
        ['PORT', 'BATCH_MAX_SIZE', 'EXECUTION_PROVIDER', 'CAPTION_PRECISION_TARGET', 'QUEUE_MAX'].every((name) =>
          error.message.includes(name),
        ),
    );
  });

  it('when values are valid, then they are parsed to numbers and enums', () => {
    const config = loadConfig({ PORT: '0', BATCH_MAX_WAIT_MS: '0.5', EXECUTION_PROVIDER: 'cuda', INTRA_OP_THREADS: '3' });
    assert.deepEqual([config.port, config.batchMaxWaitMs, config.executionProvider, config.intraOpThreads], [0, 0.5, 'cuda', 3]);
  });

  it('when OCR_INTRA_OP_THREADS is unset, then the OCR slots get every core whatever INTRA_OP_THREADS says; set, it is used', () => {
    const cores = availableParallelism();
    const threads = (env: Record<string, string>) =>
      ['text_detector', 'text_recognizer', 'classifier'].map((slot) => loadConfig(env).serving[slot]?.intraOpThreads);
    assert.deepEqual(threads({ INTRA_OP_THREADS: '1' }), [cores, cores, 1]);
    assert.deepEqual(threads({ OCR_INTRA_OP_THREADS: '1', INTRA_OP_THREADS: '3' }), [1, 1, 3]);
    assert.throws(() => loadConfig({ OCR_INTRA_OP_THREADS: '0' }), /OCR_INTRA_OP_THREADS/);
  });

  it('when the effective configuration is listed, then every variable is there by its prefixed name and a set secret is redacted', () => {
    const config = loadConfig({ PORT: '0', INFERENCE_WORKERS: '2' });
    assert.equal(config.settings.IMGSENSE_PORT, 0);
    assert.equal(config.settings.IMGSENSE_INTRA_OP_THREADS, config.intraOpThreads);
    assert.equal(config.settings.IMGSENSE_API_KEYS_FILE, null);
    const rows = [
      { name: 'TOKEN', type: 'text', group: 'security', doc: 'a token', secret: true },
      { name: 'UNSET', type: 'text', group: 'security', doc: '', secret: true },
    ] as const;
    assert.deepEqual(effectiveSettings(new Map([['TOKEN', 's3cret']]), rows), { IMGSENSE_TOKEN: '(redacted)', IMGSENSE_UNSET: null });
  });

  it('when a variable is set with the IMGSENSE_ prefix, then it wins over the old name, and only old names are reported', () => {
    const env = { IMGSENSE_PORT: '9000', PORT: '9001', HOST: '127.0.0.1', IMGSENSE_LOG_LEVEL: 'warn' };
    const config = loadConfig(env);
    assert.deepEqual([config.port, config.host, config.logLevel], [9000, '127.0.0.1', 'warn']);
    assert.deepEqual(legacyNamesIn(env), ['HOST']);
    assert.throws(
      () => loadConfig({ IMGSENSE_PORT: 'x' }),
      (error: ConfigError) => error.problems[0]!.startsWith('IMGSENSE_PORT="x"'),
    );
  });

  it('when the issue 12 limits are not set, then their defaults apply', () => {
    const config = loadConfig({});
    const limits = [
      config.maxUploadsInFlight,
      config.maxUploadsPerClient,
      config.uploadMinBytesPerSecond,
      config.uploadRateWindowMs,
      config.maxPixelsHeif,
      config.maxAspectRatio,
      config.maxJpegScans,
      config.shutdownGraceMs,
    ];
    assert.deepEqual(limits, [1024, 8, 4096, 5000, 16_777_216, 50, 100, 5000]);
    assert.equal(config.apiKeysFile, undefined);
    assert.equal(config.metricsPublic, false);
  });

  it('when the issue 12 limits are bad, then each is named', () => {
    const env = {
      MAX_UPLOADS_IN_FLIGHT: '0',
      MAX_UPLOADS_PER_CLIENT: 'many',
      UPLOAD_MIN_BYTES_PER_SECOND: '-1',
      UPLOAD_RATE_WINDOW_MS: '10',
      MAX_PIXELS_HEIF: '1',
      MAX_ASPECT_RATIO: '0.5',
      MAX_JPEG_SCANS: '0',
      SHUTDOWN_GRACE_MS: 'soon',
      METRICS_PUBLIC: 'maybe',
    };
    assert.throws(
      () => loadConfig(env),
      (error: ConfigError) => error.problems.length === 9 && Object.keys(env).every((name) => error.message.includes(`${name}=`)),
    );
  });
});

describe('loadConfig: EXECUTION_PROVIDER_STRICT', () => {
  it('when unset, then a provider fallback is allowed (false); when true or false, then it is read; otherwise it is named as bad', () => {
    assert.equal(loadConfig({}).executionProviderStrict, false);
    assert.equal(loadConfig({ EXECUTION_PROVIDER_STRICT: 'true' }).executionProviderStrict, true);
    assert.equal(loadConfig({ EXECUTION_PROVIDER_STRICT: '0' }).executionProviderStrict, false);
    assert.throws(
      () => loadConfig({ EXECUTION_PROVIDER_STRICT: 'yes please' }),
      /EXECUTION_PROVIDER_STRICT="yes please": expected true or false/,
    );
  });
});
