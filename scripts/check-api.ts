/** Fail when src/generated/api.ts is stale with respect to openapi.yaml (run `npm run gen:api` to fix). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'check-api-'));
try {
  const fresh = join(dir, 'api.ts');
  execFileSync('npx', ['openapi-typescript', 'openapi.yaml', '-o', fresh], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (readFileSync(fresh, 'utf8') !== readFileSync('src/generated/api.ts', 'utf8')) {
    console.error('src/generated/api.ts is stale: run `npm run gen:api` and commit the result.');
    process.exit(1);
  }
  console.log('src/generated/api.ts matches openapi.yaml');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
