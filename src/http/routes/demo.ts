/** The demo page at / and the API reference at /docs: static files served by the service itself, nothing from elsewhere. */
import { existsSync } from 'node:fs';
import express, { type RequestHandler } from 'express';
import type { Config } from '../../config.js';
import { ServiceError } from '../../errors.js';
import { projectPath } from '../../project-root.js';

/** Where `npm run build:docs` writes the reference page (git-ignored, like the rest of dist/). */
export const DOCS_HTML = projectPath('dist', 'docs', 'index.html');

// The page's own origin only: the CSP makes the no-CDN rule hold in the browser, not just in review.
const DEMO_CSP =
  "default-src 'self'; img-src 'self' blob: data:; script-src 'self'; style-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// Redoc renders with inline scripts and styles; every fetch, font and image still comes from this origin.
const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const demoFiles = express.static(projectPath('web'), {
  index: 'index.html',
  redirect: false,
  setHeaders: (res) => {
    res.setHeader('Content-Security-Policy', DEMO_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
  },
});

const docsPage: RequestHandler = (_req, res, next) => {
  if (!existsSync(DOCS_HTML)) {
    next(new ServiceError('not_found', 'The API reference is not built in this install: run `npm run build:docs`.'));
    return;
  }
  res.setHeader('Content-Security-Policy', DOCS_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.sendFile(DOCS_HTML);
};

/** Mount GET / (the demo, unless DEMO_ENABLED=false) and GET /docs (unless DOCS_ENABLED=false). */
export function mountWebPages(app: express.Express, config: Config): void {
  if (config.demoEnabled) app.get(['/', '/demo.js', '/demo.css'], demoFiles);
  if (config.docsEnabled) app.get('/docs', docsPage);
}
