// npm run build:docs: openapi.yaml -> dist/docs/index.html with Redocly's CLI, Redoc's scripts inlined (--inlineBundle, not
// its CDN). Redoc 3 still loads its "powered by" logo from cdn.redoc.ly at run time, so every URL on a Redocly CDN is
// rewritten to an empty data: URL (the logo's onError then hides it) and the build fails if any remains.
// More fixes of the rendered page: its menu links (href="/other/caption") are made /docs#/other/caption, the route
// Redoc itself navigates to (routingBasePath in redocly.yaml), so one opened in a new tab works; and the light theme's
// colours that axe found below 4.5:1 on their backgrounds are darkened (test/browser/demo.test.ts runs axe on the page).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const output = join(root, 'dist', 'docs', 'index.html');
const CDN_URL = /https?:\/\/cdn\.redoc(?:ly\.com|\.ly)\/[^\s"'`)]*/g;
const BASE_PATH = '/docs';
// WCAG AA (4.5:1) on white and on Redoc's tinted panels; the dark theme (html.dark) keeps its own palette.
const CONTRAST_CSS = `<style id="imgsense-contrast">
html:not(.dark) {
  --color-blue-5: #1757c2; --color-blue-6: #1757c2; --color-blue-7: #1757c2;
  --color-green-5: #0f6e3d; --color-green-7: #0f6e3d;
  --color-warm-grey-5: #686973; --color-warm-grey-7: #686973;
  --color-brand-4: #686973; --color-brand-5: #686973; --color-brand-10: #686973;
}
html:not(.dark) .tag-get, html:not(.dark) .tag-query { --tag-color: #0f6e3d; }
html:not(.dark) .tag-put { --tag-color: #8a4a05; }
html:not(.dark) .tag-patch { --tag-color: #735600; }
html:not(.dark) .tag-delete { --tag-color: #b0082f; }
</style>`;

/** Menu links at their Redoc route under BASE_PATH: every href that names a rendered section (data-section-id). */
function deepLinks(html) {
  const sections = new Set([...html.matchAll(/data-section-id="(\/[^"]+)"/g)].map((match) => match[1]));
  return html.replace(/href="(\/[^"#]+)"/g, (whole, path) => (sections.has(path) ? `href="${BASE_PATH}#${path}"` : whole));
}

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
const rewritten = deepLinks(html.replace(CDN_URL, 'data:,')).replace('</head>', `${CONTRAST_CSS}</head>`);
if (CDN_URL.test(rewritten)) throw new Error(`${output}: a Redocly CDN URL survived the rewrite`);
if (!rewritten.includes(`href="${BASE_PATH}#/`)) throw new Error(`${output}: menu links not rewritten`);
if (!rewritten.includes('id="imgsense-contrast"')) throw new Error(`${output}: the contrast fix was not inserted (no </head>)`);
writeFileSync(output, rewritten);
console.error(`build:docs: ${output} (${html.match(CDN_URL)?.length ?? 0} CDN URLs rewritten to data:,)`);
