import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, DEFAULT_MODEL_DIR, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('when the environment is empty, then the defaults apply', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.modelDir, DEFAULT_MODEL_DIR);
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
        ['PORT', 'BATCH_MAX_SIZE', 'EXECUTION_PROVIDER', 'CAPTION_PRECISION_TARGET', 'QUEUE_MAX'].every((name) => error.message.includes(name)),
    );
  });

  it('when values are valid, then they are parsed to numbers and enums', () => {
    const config = loadConfig({ PORT: '0', BATCH_MAX_WAIT_MS: '0.5', EXECUTION_PROVIDER: 'cuda', INTRA_OP_THREADS: '3' });
    assert.deepEqual([config.port, config.batchMaxWaitMs, config.executionProvider, config.intraOpThreads], [0, 0.5, 'cuda', 3]);
  });
});
