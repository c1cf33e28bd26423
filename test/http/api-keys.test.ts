import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { parseApiKeys } from '../../src/http/api-keys.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { assertMatchesSpec, bootStub, fixture } from '../support/service.js';
import { stubPoolStarter } from '../support/stub-pool.js';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const dir = mkdtempSync(path.join(tmpdir(), 'imgsense-keys-'));
const keyFile = path.join(dir, 'keys');
let service: RunningServer;
after(() => rmSync(dir, { recursive: true, force: true }));

function caption(key?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'image/jpeg' };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  return fetch(`${service.url}/caption`, { method: 'POST', headers, body: fixture('cat.jpg') });
}

async function expectUnauthorized(response: Response, invalidToken: boolean): Promise<void> {
  const body: any = await response.json();
  assert.equal(response.status, 401, JSON.stringify(body));
  assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assertMatchesSpec('problem', body);
  assert.equal(body.code, 'unauthorized');
  const challenge = response.headers.get('www-authenticate') ?? '';
  assert.match(challenge, /^Bearer realm="imgsense"/);
  assert.equal(challenge.includes('error="invalid_token"'), invalidToken);
}

describe('API keys from API_KEYS_FILE (the app with stub models)', () => {
  before(async () => {
    writeFileSync(keyFile, `# name sha256\nalice ${sha256('alice-secret-1')}\n\nbob ${sha256('bob-secret-2')}\n`);
    service = await bootStub({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false', API_KEYS_FILE: keyFile });
  });
  after(() => service.drain());

  it('when /caption has no Authorization, then 401 unauthorized with a Bearer challenge', async () => {
    await expectUnauthorized(await caption(), false);
  });

  it('when the key is wrong, or a stored digest is sent as the key, then 401 with error="invalid_token"', async () => {
    await expectUnauthorized(await caption('alice-secret-2'), true);
    await expectUnauthorized(await caption(sha256('alice-secret-1')), true);
  });

  it('when a key from the file is sent, then 200', async () => {
    assert.equal((await caption('alice-secret-1')).status, 200);
    assert.equal((await caption('bob-secret-2')).status, 200);
  });

  it('when /healthz and /readyz are called without a key, then they answer; /metrics needs one', async () => {
    assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${service.url}/readyz`)).status, 200);
    await expectUnauthorized(await fetch(`${service.url}/metrics`), false);
    const metrics = await fetch(`${service.url}/metrics`, { headers: { authorization: 'Bearer bob-secret-2' } });
    assert.equal(metrics.status, 200);
    assert.doesNotMatch(await metrics.text(), /secret/);
  });

  it('when /readyz is called without a valid key, then it answers its status alone; with a key, the models too (issue 25, finding 8)', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-key' }] as Record<string, string>[]) {
      const response = await fetch(`${service.url}/readyz`, { headers });
      const body: any = await response.json();
      assert.equal(response.status, 200);
      assertMatchesSpec('readiness', body);
      assert.deepEqual(body, { status: 'ready' });
    }
    const keyHolder: any = await (await fetch(`${service.url}/readyz`, { headers: { authorization: 'Bearer alice-secret-1' } })).json();
    assertMatchesSpec('readiness', keyHolder);
    assert.ok(
      keyHolder.models.some((model: { name: string; version: string }) => model.name === 'efficientnet-lite0' && model.version),
      JSON.stringify(keyHolder),
    );
  });

  it('when the file changes and the keys are reloaded (SIGHUP), then the new file is in force; a bad file keeps the old one', async () => {
    writeFileSync(keyFile, `carol ${sha256('carol-secret-3')}\n`);
    assert.equal(service.reloadApiKeys(), true);
    await expectUnauthorized(await caption('alice-secret-1'), true);
    assert.equal((await caption('carol-secret-3')).status, 200);
    writeFileSync(keyFile, 'carol not-a-digest\n');
    assert.equal(service.reloadApiKeys(), false);
    assert.equal((await caption('carol-secret-3')).status, 200);
  });
});

describe('API key configuration', () => {
  it('when a line is malformed or a name repeats, then parsing fails naming the line, never its content', () => {
    const digest = sha256('k');
    assert.throws(
      () => parseApiKeys(`a ${digest}\nb plain-key-here\na ${digest}\n`),
      (error: Error) => {
        assert.match(error.message, /line 2 is not/);
        assert.match(error.message, /line 3 repeats the name a/);
        assert.doesNotMatch(error.message, /plain-key-here/);
        return true;
      },
    );
  });

  it('when METRICS_PUBLIC=true, then /metrics answers without a key while /caption still needs one', async () => {
    writeFileSync(keyFile, `alice ${sha256('alice-secret-1')}\n`);
    const open = await bootStub({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false', API_KEYS_FILE: keyFile, METRICS_PUBLIC: 'true' });
    try {
      assert.equal((await fetch(`${open.url}/metrics`)).status, 200);
      assert.equal(((await (await fetch(`${open.url}/readyz`)).json()) as any).models, undefined, 'METRICS_PUBLIC does not open /readyz');
      const response = await fetch(`${open.url}/caption`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg' },
        body: fixture('cat.jpg'),
      });
      assert.equal(response.status, 401);
    } finally {
      await open.drain();
    }
  });

  it('when READYZ_DETAILS_PUBLIC=true, then /readyz lists the models without a key; without any keys it always does', async () => {
    writeFileSync(keyFile, `alice ${sha256('alice-secret-1')}\n`);
    for (const env of [{ API_KEYS_FILE: keyFile, READYZ_DETAILS_PUBLIC: 'true' }, {}] as Record<string, string>[]) {
      const open = await bootStub({ DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false', ...env });
      try {
        const body: any = await (await fetch(`${open.url}/readyz`)).json();
        assert.ok(body.models?.length > 0, JSON.stringify(env));
      } finally {
        await open.drain();
      }
    }
  });

  it('when the service listens on a non-loopback address without keys, then it warns at start-up; with keys or on loopback it does not', async () => {
    const warnings = async (env: Record<string, string>) => {
      const lines: { level: number; msg: string }[] = [];
      const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
      const config = loadConfig({ PORT: '0', DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false', ...env });
      const running = await startServer(config, log, stubPoolStarter());
      await running.drain();
      return lines.filter((line) => /no API keys/.test(line.msg)).length;
    };
    writeFileSync(keyFile, `alice ${sha256('alice-secret-1')}\n`);
    assert.equal(await warnings({ HOST: '0.0.0.0' }), 1);
    assert.equal(await warnings({ HOST: '0.0.0.0', API_KEYS_FILE: keyFile }), 0);
    assert.equal(await warnings({ HOST: '127.0.0.1' }), 0);
  });
});
