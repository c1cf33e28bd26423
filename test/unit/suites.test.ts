import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { projectPath } from '../../src/project-root.js';

// Each suite's folder and the command that runs it (package.json; scripts/test-all.sh runs them all).
const SUITES = ['test/unit', 'test/http', 'test/service', 'test/quality', 'test/parity', 'test/browser', 'test/attack', 'load'];
const SKIP = new Set(['node_modules', '.git', 'clients', 'training', 'dist']);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(projectPath(), path)] : [];
  });
}

describe('test files by speed and purpose', () => {
  it("when a test file sits outside the suites' folders, then it is named (no command would run it)", () => {
    const stray = testFiles(projectPath()).filter(
      (file) => !SUITES.some((suite) => file.startsWith(`${suite}/`) && !file.slice(suite.length + 1).includes('/')),
    );
    assert.deepEqual(stray, [], 'move each into test/unit, test/http, test/service, test/quality or test/parity');
  });
});
