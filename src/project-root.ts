/** Locate files shipped with the service (openapi.yaml, the manifest schema) from source or compiled code alike. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (package.json)');
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot();

/** Absolute path of a file relative to the project root. */
export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}
