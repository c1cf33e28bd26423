// Start-up of moderation: a bad policy stops the process (each case its own process, which exits at start); a smaller
// caption model leaves categories out (one boot). Moderation switched off: test/http/features-off.test.ts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, fixture, postImageTo } from '../support/service.js';

const MINIATURE = 'models/hashtag-miniature';
const FIREARM_CLASSES = ['n02749479', 'n04086273', 'n04090263'];

/** Run `src/main.ts` until it exits; its exit code and everything it printed. */
function runProcess(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.on('exit', (code) => (clearTimeout(timer), resolve({ code, output }))));
}

describe('moderation start-up', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'moderate-policy-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('when the policy file breaks its own bounds, then the process exits non-zero with the policy error on stderr', async () => {
    const policy = JSON.parse(readFileSync('policies/default.json', 'utf8'));
    policy.categories[2].threshold = 0.99; // weapons: bounds [0.2, 0.95]
    const file = join(dir, 'bad-policy.json');
    writeFileSync(file, JSON.stringify(policy));
    const { code, output } = await runProcess({ MODERATION_POLICY: file });
    assert.notEqual(code, 0);
    const message = `moderation policy ${file}: /categories/2 ('weapons') threshold 0.99 lies outside its bounds [0.2, 0.95]`;
    assert.ok(output.includes(`start-up failed: ${message}`), output);
    assert.ok(!output.includes('"msg":"listening'), 'it must fail before it listens');
  });

  it('when the policy file is missing, then the process exits non-zero naming it', async () => {
    const { code, output } = await runProcess({ MODERATION_POLICY: join(dir, 'nope.json') });
    assert.notEqual(code, 0);
    assert.match(output, /start-up failed: moderation policy .*nope\.json: cannot read the file \(ENOENT\)/);
  });

  it('when MODERATION_ENABLED is not a boolean, then the process exits 1 naming the variable', async () => {
    const { code, output } = await runProcess({ MODERATION_ENABLED: 'maybe' });
    assert.equal(code, 1);
    assert.match(output, /config error: MODERATION_ENABLED="maybe": expected true or false/);
  });
});

describe('a caption model without firearm or alcohol classes (the hashtag miniature)', () => {
  let service: RunningServer;
  before(async () => {
    service = await boot({ MODEL_DIR: MINIATURE });
  });
  after(() => service.drain());

  it('when /moderate answers, then weapons and alcohol are absent, not scored 0', async () => {
    const ids = service.models.bundles[0]!.manifest.classes.map((c) => c.id);
    assert.ok(!FIREARM_CLASSES.some((id) => ids.includes(id)), 'the premise: the miniature has no firearm class');
    const response = await postImageTo(service.url, '/moderate', fixture('cat.jpg'), 'image/jpeg');
    const body: any = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assertMatchesSpec('moderation', body);
    assert.deepEqual(
      body.categories.map((c: any) => c.id),
      ['sexual', 'suggestive'],
    );
    assert.deepEqual(
      body.models.map((m: any) => m.name),
      ['nsfw-mobilenetv2'],
    );
  });

  it('when a request names an unsupported category, then 400 invalid_request saying why', async () => {
    const response = await postImageTo(service.url, '/moderate', fixture('cat.jpg'), 'image/jpeg', '?categories=weapons');
    const body: any = await response.json();
    assert.equal(response.status, 400);
    assert.equal(body.code, 'invalid_request');
    assert.match(body.detail, /'weapons' is not available here: hashtag-miniature has none of its classes/);
  });
});
