import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BLOCKS, withBlock } from '../../scripts/config-docs.js';
import { CONFIG_TABLE, ENV_PREFIX } from '../../src/config-table.js';

describe('configuration docs generated from src/config-table.ts', () => {
  for (const block of BLOCKS) {
    it(`when ${block.path} is read, then its configuration block is what \`npm run gen:config\` writes`, () => {
      const text = readFileSync(block.path, 'utf8');
      assert.equal(withBlock(text, block), text, `${block.path} is stale: run npm run gen:config`);
    });
  }

  it('when the README table is rendered, then every variable of the table has its row, and no other variable does', () => {
    const readme = BLOCKS.find((block) => block.path === 'README.md')!.render();
    const named = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]);
    assert.deepEqual(named.sort(), CONFIG_TABLE.map((row) => ENV_PREFIX + row.name).sort());
  });

  it('when a row is added, then the rendered block changes (the check can fail)', () => {
    const block = BLOCKS[0]!;
    const text = readFileSync(block.path, 'utf8');
    const stale = text.replace('| `IMGSENSE_PORT` |', '| `IMGSENSE_PORT_OLD` |');
    assert.notEqual(withBlock(stale, block), stale);
  });
});
