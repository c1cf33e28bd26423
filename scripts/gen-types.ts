/** Write every generated file (src/generated/*.ts, the TypeScript client's copy of the API types) from its source, then the Python client: `npm run gen:types`. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATED } from './generated-types.js';

const dir = mkdtempSync(join(tmpdir(), 'gen-types-'));
try {
  for (const file of GENERATED) {
    writeFileSync(file.path, await file.render(join(dir, 'out.ts')));
    console.log(`${file.source} -> ${file.path}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
// The Python client is a generated package, not one file: its own script writes it (openapi-python-client, pinned).
execFileSync('bash', ['scripts/gen-python-client.sh'], { stdio: 'inherit' });
