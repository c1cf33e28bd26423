/** Write every generated file (src/generated/*.ts) from its source: `npm run gen:types`. */
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
