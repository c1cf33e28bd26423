/** The demo page at / (static files served by the service itself, nothing from elsewhere) and the API reference (docs.ts). */
import express from 'express';
import type { Config } from '../../config.js';
import { projectPath } from '../../project-root.js';
import { mountDocs } from './docs.js';

// The page's own origin only: the CSP makes the no-CDN rule hold in the browser, not just in review.
const DEMO_CSP =
  "default-src 'self'; img-src 'self' blob: data:; script-src 'self'; style-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const demoFiles = express.static(projectPath('web'), {
  index: 'index.html',
  redirect: false,
  setHeaders: (res) => {
    res.setHeader('Content-Security-Policy', DEMO_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
  },
});

/** Mount GET / (the demo, unless DEMO_ENABLED=false) and the API reference and spec (unless DOCS_ENABLED=false). */
export function mountWebPages(app: express.Express, config: Config): void {
  if (config.demoEnabled) app.get(['/', '/demo.js', '/demo.css'], demoFiles);
  if (config.docsEnabled) mountDocs(app);
}
