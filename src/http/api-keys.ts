/** API keys: a file of `<name> <sha-256 hex of the key>` lines, Bearer auth against it in constant time, re-read on request. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { ServiceError } from '../errors.js';
import type { AuthFailures } from './auth-failures.js';

/** The keys in force: names and the digests of their values (the values themselves are never held). */
export interface ApiKeys {
  readonly names: readonly string[];
  /** The key's name when `token` is one of the keys; every digest is compared, whatever matches. */
  match(token: string): string | undefined;
}

const LINE = /^([A-Za-z0-9._@-]{1,64})\s+([0-9a-fA-F]{64})$/;

/** Parse a key file; throws naming each bad line by number (never its content) and each repeated name. */
export function parseApiKeys(text: string, source = 'API_KEYS_FILE'): ApiKeys {
  const entries: { name: string; digest: Buffer }[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parsed = LINE.exec(line);
    if (!parsed) return problems.push(`line ${index + 1} is not "<name> <sha-256 hex>"`);
    if (entries.some((entry) => entry.name === parsed[1])) return problems.push(`line ${index + 1} repeats the name ${parsed[1]}`);
    entries.push({ name: parsed[1]!, digest: Buffer.from(parsed[2]!, 'hex') });
  });
  if (problems.length > 0) throw new Error(`${source}: ${problems.join('; ')}`);
  return {
    names: entries.map((entry) => entry.name),
    match(token) {
      const digest = createHash('sha256').update(token, 'utf8').digest();
      let found: string | undefined;
      for (const entry of entries) if (timingSafeEqual(digest, entry.digest) && found === undefined) found = entry.name;
      return found;
    },
  };
}

/** Read and parse the key file at `path`. */
export function loadApiKeys(path: string): ApiKeys {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(
      `API_KEYS_FILE=${path}: ${reason}; write "<name> <sha-256 hex of the key>" lines there (README, API keys) or unset API_KEYS_FILE`,
    );
  }
  return parseApiKeys(text, path);
}

const CHALLENGE = 'Bearer realm="imgsense"';

/** Whether the request may see what only key holders see: no keys in force (an open service), or a valid Bearer key. */
export function holdsApiKey(header: string | undefined, keys: ApiKeys | undefined): boolean {
  if (!keys) return true;
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  return token !== undefined && keys.match(token) !== undefined;
}

/**
 * Middleware: 401 unless the request carries `Authorization: Bearer <key>` for a key in `keys()`; no keys, no check.
 * With `failures`, a client that failed too often this minute gets 429 before its key is even looked at.
 */
export function requireApiKey(keys: () => ApiKeys | undefined, failures?: AuthFailures): RequestHandler {
  return (req, res, next) => {
    const current = keys();
    if (!current) return next();
    failures?.check(req);
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!token) {
      failures?.record(req);
      throw new ServiceError('unauthorized', 'Send Authorization: Bearer <API key>.', { 'WWW-Authenticate': CHALLENGE });
    }
    const name = current.match(token);
    if (!name) {
      failures?.record(req);
      throw new ServiceError('unauthorized', 'The API key is not valid.', { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_token"` });
    }
    res.locals.apiKey = name;
    res.locals.log = res.locals.log.child({ apiKey: name });
    next();
  };
}
