import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startService, type Service } from './service.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
/** Inside the package, so that `import '@imgsense/client'` resolves to this package's dist/ (Node's self-reference by name). */
const EXAMPLE = fileURLToPath(new URL('../readme-example.test-output.mjs', import.meta.url));

describe('the README example', () => {
  let service: Service;
  before(async () => {
    service = await startService();
  });
  after(async () => {
    await service.stop();
    rmSync(EXAMPLE, { force: true });
  });

  it('when the js block is run with node against the real service, then it prints what the README says', async () => {
    const block = /```js\n([\s\S]*?)```/.exec(readFileSync(README, 'utf8'))?.[1];
    assert.ok(block, 'no js block in README.md');
    writeFileSync(EXAMPLE, block);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [EXAMPLE], { env: { ...process.env, IMGSENSE_URL: service.url }, timeout: 60_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out));
    });
    const lines = stdout.trim().split('\n');
    assert.match(lines[0]!, /^Probably a domestic cat\. \[ '.+', '.+', '.+' \]$/);
    assert.equal(lines[1], 'flagged: false');
    assert.equal(lines[2], 'Probably a domestic cat.');
    assert.equal(lines[3], 'problem 415 unsupported_media_type');
    assert.match(lines[4]!, /^415 unsupported_media_type Detected pdf/);
  });
});
