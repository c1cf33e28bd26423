/** Fail when a generated file (src/generated/, the clients' API types, the Python client) is stale with respect to its source (run `npm run gen:types` to fix). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATED } from './generated-types.js';

const dir = mkdtempSync(join(tmpdir(), 'check-types-'));
let stale = 0;
try {
  for (const file of GENERATED) {
    const fresh = await file.render(join(dir, 'out.ts'));
    if (fresh === readFileSync(file.path, 'utf8')) console.log(`${file.path} matches ${file.source}`);
    else {
      console.error(`${file.path} is stale with respect to ${file.source}: run \`npm run gen:types\` and commit the result.`);
      stale += 1;
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
try {
  execFileSync('bash', ['scripts/gen-python-client.sh', '--check'], { stdio: 'inherit' });
} catch {
  stale += 1;
}
process.exit(stale > 0 ? 1 : 0);
