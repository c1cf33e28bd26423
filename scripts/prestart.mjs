// npm start's first step. With the dev dependencies installed (`npm ci`), compile and render the API reference
// (`npm run build`), so the type check runs before the server starts. A production install (`npm ci --omit=dev`) has no
// compiler: it runs the build it was shipped with in dist/, and says how to make one when there is none.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

function hasCompiler() {
  try {
    createRequire(join(root, 'package.json')).resolve('typescript');
    return true;
  } catch {
    return false;
  }
}

if (hasCompiler()) {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(build.status ?? 1);
}
if (!existsSync(join(root, 'dist', 'src', 'main.js'))) {
  console.error(
    'prestart: no build in dist/ and no TypeScript compiler (a production install, npm ci --omit=dev).\n' +
      'Build first where the dev dependencies are installed: npm ci && npm run build && npm prune --omit=dev',
  );
  process.exit(1);
}
console.error('prestart: production install (no TypeScript compiler): running the existing build in dist/');
