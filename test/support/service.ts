/** Test helpers: boot the real service on port 0, post real files, check responses against openapi.yaml. */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { pino } from 'pino';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { projectPath } from '../../src/project-root.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { stubPoolStarter } from './stub-pool.js';

/** Bytes of a committed fixture. */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
}

/** Start the real service (real model, real workers) on 127.0.0.1:0 with env overrides. */
export function boot(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env });
  return startServer(config, pino({ level: config.logLevel }));
}

/** Start the service on 127.0.0.1:0 with a stub pool (test/support/stub-pool.ts): the app, use cases and bundles as served, no ONNX Runtime. */
export function bootStub(env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env });
  return startServer(config, pino({ level: config.logLevel }), stubPoolStarter());
}

/** POST bytes to /caption with a content type. */
export function postImage(base: string, body: Uint8Array, type: string, query = ''): Promise<Response> {
  return postImageTo(base, '/caption', body, type, query);
}

/** POST bytes to a model route (/caption, /moderate) with a content type. */
export function postImageTo(base: string, route: string, body: Uint8Array, type: string, query = ''): Promise<Response> {
  return fetch(`${base}${route}${query}`, { method: 'POST', headers: { 'content-type': type }, body });
}

const spec = parse(readFileSync(projectPath('openapi.yaml'), 'utf8'));
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'openapi.json', components: spec.components });
const validators = {
  caption: ajv.compile({ $ref: 'openapi.json#/components/schemas/CaptionResponse' }),
  moderation: ajv.compile({ $ref: 'openapi.json#/components/schemas/ModerationResponse' }),
  problem: ajv.compile({ $ref: 'openapi.json#/components/schemas/Problem' }),
  readiness: ajv.compile({ $ref: 'openapi.json#/components/schemas/Readiness' }),
  health: ajv.compile({ $ref: 'openapi.json#/components/schemas/Health' }),
};

/** Throw unless `body` matches the named schema of openapi.yaml. */
export function assertMatchesSpec(kind: keyof typeof validators, body: unknown): void {
  const validate = validators[kind];
  if (!validate(body)) throw new Error(`${kind} does not match openapi.yaml: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`);
}

/** Read one sample value (summed over label sets) from Prometheus text output. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.split(' ').at(-1));
  }
  return total;
}

/** Assert a problem+json answer with this status and code (and a body the spec accepts); returns the body. */
export async function expectProblem(response: Response, status: number, code: string): Promise<any> {
  const body: any = await response.json();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(body)}`);
  assertMatchesSpec('problem', body);
  if (body.code !== code) throw new Error(`expected code ${code}, got ${body.code}`);
  return body;
}
