/** Write (or with --check, verify) the README's configuration table and the Helm env block from src/config-table.ts. */
import { readFileSync, writeFileSync } from 'node:fs';
import { BLOCKS, withBlock } from './config-docs.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const block of BLOCKS) {
  const text = readFileSync(block.path, 'utf8');
  const fresh = withBlock(text, block);
  if (fresh === text) console.log(`${block.path}: configuration block matches src/config-table.ts`);
  else if (check) {
    console.error(
      `${block.path}: configuration block is stale with respect to src/config-table.ts: run \`npm run gen:config\` and commit the result.`,
    );
    stale += 1;
  } else {
    writeFileSync(block.path, fresh);
    console.log(`src/config-table.ts -> ${block.path}`);
  }
}
process.exit(stale > 0 ? 1 : 0);
