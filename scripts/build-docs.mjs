// npm run build:docs: openapi.yaml -> dist/docs/index.html with Redocly's CLI, Redoc's scripts inlined (--inlineBundle, not
// its CDN). Redoc 3 still loads its "powered by" logo from cdn.redoc.ly at run time, so every URL on a Redocly CDN is
// rewritten to an empty data: URL (the logo's onError then hides it) and the build fails if any remains.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const output = join(root, 'dist', 'docs', 'index.html');
const CDN_URL = /https?:\/\/cdn\.redoc(?:ly\.com|\.ly)\/[^\s"'`)]*/g;

const render = spawnSync(
  join(root, 'node_modules', '.bin', 'redocly'),
  ['build-docs', 'openapi.yaml', '--inlineBundle', '--title', 'imgsense API', '-o', output],
  { cwd: root, encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
);
if (render.status !== 0) {
  console.error(render.stdout, render.stderr);
  process.exit(render.status ?? 1);
}
const html = readFileSync(output, 'utf8');
const rewritten = html.replace(CDN_URL, 'data:,');
if (CDN_URL.test(rewritten)) throw new Error(`${output}: a Redocly CDN URL survived the rewrite`);
writeFileSync(output, rewritten);
console.error(`build:docs: ${output} (${html.match(CDN_URL)?.length ?? 0} CDN URLs rewritten to data:,)`);
