/** The API contract as served: /openapi.yaml, /openapi.json and the reference page /docs, each naming this server. */
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Express, Request, RequestHandler, Response } from 'express';
import { parse, stringify } from 'yaml';
import { ServiceError } from '../../errors.js';
import { projectPath } from '../../project-root.js';

/** Where `npm run build:docs` writes the reference page (git-ignored, like the rest of dist/). */
export const DOCS_HTML = projectPath('dist', 'docs', 'index.html');

// Redoc renders with inline scripts and styles; every fetch, font and image still comes from this origin.
const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
// A host name, IPv4 or bracketed IPv6 address with an optional port: anything else in Host is not echoed into a page.
const SAFE_HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
// One compressed page per origin the service is reached by; a few suffice (a host name, an address, localhost).
const PAGE_CACHE_SIZE = 8;

const spec = parse(readFileSync(projectPath('openapi.yaml'), 'utf8')) as { servers?: { url: string }[] };
const SPEC_SERVER = spec.servers?.[0]?.url ?? 'http://localhost:8080';

/** The origin the client reached this service by (X-Forwarded-Proto from a proxy in front); undefined if Host is odd. */
function requestOrigin(req: Request): string | undefined {
  const host = req.get('host');
  if (!host || !SAFE_HOST.test(host)) return undefined;
  const forwarded = req.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return `${forwarded === 'https' || forwarded === 'http' ? forwarded : req.protocol}://${host}`;
}

/** The spec with its server list replaced by the origin of the request. */
function specFor(req: Request): Record<string, unknown> {
  const origin = requestOrigin(req);
  return origin ? { ...spec, servers: [{ url: origin, description: 'This service, as your request reached it.' }] } : spec;
}

const specYaml: RequestHandler = (req, res) => {
  res.type('application/yaml').send(stringify(specFor(req), { lineWidth: 0 }));
};

const specJson: RequestHandler = (req, res) => {
  res.json(specFor(req));
};

/** The built page with the spec's server URL replaced by `origin`, plain and gzip-compressed, cached for a few origins. */
function pageSource() {
  const cache = new Map<string, { plain: Buffer; gzip: Buffer }>();
  return (origin: string | undefined) => {
    const key = origin ?? SPEC_SERVER;
    let page = cache.get(key);
    if (!page) {
      const plain = Buffer.from(readFileSync(DOCS_HTML, 'utf8').replaceAll(SPEC_SERVER, key));
      page = { plain, gzip: gzipSync(plain) };
      if (cache.size >= PAGE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(key, page);
    }
    return page;
  };
}

/** GET /docs: the reference page, gzip-compressed when the client accepts it. */
function docsPage(): RequestHandler {
  const pages = pageSource();
  return (req: Request, res: Response, next) => {
    if (!existsSync(DOCS_HTML)) {
      next(new ServiceError('not_found', 'The API reference is not built in this install: run `npm run build:docs`.'));
      return;
    }
    const page = pages(requestOrigin(req));
    // Only when asked: without Accept-Encoding any coding is allowed, but a plain `curl` would then get binary.
    const gzip = req.get('accept-encoding') !== undefined && req.acceptsEncodings('gzip', 'identity') === 'gzip';
    res.setHeader('Content-Security-Policy', DOCS_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.vary('Accept-Encoding').vary('Host').type('html');
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.send(gzip ? page.gzip : page.plain);
  };
}

/** GET /docs/<section> (a path-style deep link, e.g. /docs/other/caption): to the page's own route, /docs#/other/caption. */
const docsSection: RequestHandler = (req, res) => {
  res.redirect(302, `/docs#${req.path.slice('/docs'.length)}`);
};

/** Mount GET /openapi.yaml, /openapi.json, the reference page at /docs and its sections below it. */
export function mountDocs(app: Express): void {
  app.get('/openapi.yaml', specYaml);
  app.get('/openapi.json', specJson);
  app.get('/docs', docsPage());
  app.get('/docs/{*section}', docsSection);
}
