#!/usr/bin/env node
/** The imgsense command: `imgsense caption|moderate DIR --out FILE.jsonl` against a running service. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ImgsenseClient, type CaptionQuery, type ModerationQuery } from '../client.js';
import { captionArchive, type ArchiveOptions } from './caption-archive.js';

const USAGE = `Usage: imgsense caption DIR [options]
       imgsense moderate DIR [options]

Caption (or moderate) every image under DIR (recursively, by extension: jpg jpeg png webp gif avif tif tiff heic heif)
with a running imgsense service, one JSON line per image in the output. Rerunning skips the images the output already
settles.

Options:
  --url URL                 the service (default $IMGSENSE_URL, else http://localhost:8080)
  --out FILE                JSON Lines output, appended to (default captions.jsonl, or moderation.jsonl)
  --concurrency N           requests at once (default 4)
  --api-key KEY             API key (default $IMGSENSE_API_KEY)
  --retries N               retries of one image after 429, 503 or a dropped connection (default 5)
  --max-labels N            caption: passed to /caption
  --precision-target P      caption: passed to /caption
  --lang TAG                caption: the alt-text's language (BCP 47, e.g. fr); default English
  --features LIST           caption: comma-separated objects,text,text_always; empty for neither
  --categories LIST         moderate: comma-separated category ids (default every category of the policy)
  --progress-interval S     seconds between progress lines when stderr is not a terminal (default 5)
  -h, --help                this text
  --version                 the client's version

Ctrl+C stops after the images in flight are written (a second Ctrl+C quits at once); a rerun resumes.
The summary counts images done, refused (a problem of the file itself: 415, 422, 413; settled, not retried), skipped
(settled by an earlier run) and failed.
Exit status: 0 when every image has an answer or a problem of its own (415, 422, 413);
1 when some could not be answered (network, 5xx, 401, 429 after the retries): rerun to retry those; 2 for bad usage;
130 when stopped by Ctrl+C.`;

class UsageError extends Error {}

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < (name === '--retries' ? 0 : 1))
    throw new UsageError(`${name} must be a whole number, got "${value}"`);
  return parsed;
}

const FEATURES = ['objects', 'text', 'text_always'] as const;

/** A comma-separated option as a list; empty means none. */
const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

function captionQuery(values: { 'max-labels'?: string; 'precision-target'?: string; lang?: string; features?: string }): CaptionQuery {
  const query: CaptionQuery = {};
  if (values.lang !== undefined) query.lang = values.lang;
  if (values.features !== undefined) {
    const features = list(values.features);
    const unknown = features.filter((feature) => !(FEATURES as readonly string[]).includes(feature));
    if (unknown.length > 0) throw new UsageError(`--features takes ${FEATURES.join(', ')}; got ${unknown.join(', ')}`);
    query.features = features as (typeof FEATURES)[number][];
  }
  if (values['max-labels'] !== undefined) query.max_labels = positiveInteger(values['max-labels'], '--max-labels', 5);
  if (values['precision-target'] !== undefined) {
    query.precision_target = Number(values['precision-target']);
    if (!(query.precision_target > 0 && query.precision_target <= 1)) throw new UsageError('--precision-target must be in (0, 1]');
  }
  return query;
}

function moderationQuery(values: { categories?: string }): ModerationQuery {
  return values.categories === undefined ? {} : { categories: list(values.categories) };
}

/** The request each image gets for `command`, with the command's query. */
function requestFor(
  command: string,
  client: ImgsenseClient,
  values: Record<string, string | boolean | undefined>,
): ArchiveOptions['request'] {
  if (command === 'caption') {
    const query = captionQuery(values as Parameters<typeof captionQuery>[0]);
    return async (bytes, filename) => ({ caption: await client.caption(bytes, { ...query, filename }) });
  }
  const query = moderationQuery(values as Parameters<typeof moderationQuery>[0]);
  return async (bytes, filename) => ({ moderation: await client.moderate(bytes, { ...query, filename }) });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      out: { type: 'string' },
      concurrency: { type: 'string' },
      'api-key': { type: 'string' },
      retries: { type: 'string' },
      'max-labels': { type: 'string' },
      'precision-target': { type: 'string' },
      lang: { type: 'string' },
      features: { type: 'string' },
      categories: { type: 'string' },
      'progress-interval': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const [command, dir, ...rest] = positionals;
  if ((command !== 'caption' && command !== 'moderate') || dir === undefined || rest.length > 0) {
    throw new UsageError('expected: imgsense caption DIR, or imgsense moderate DIR');
  }
  const apiKey = values['api-key'] ?? process.env.IMGSENSE_API_KEY;
  // retries 0: the archive retries each image itself (--retries), counting them for the summary.
  const baseUrl = values.url ?? process.env.IMGSENSE_URL ?? 'http://localhost:8080';
  const client = new ImgsenseClient({ baseUrl, retries: 0, ...(apiKey ? { apiKey } : {}) });
  const stop = new AbortController();
  process.on('SIGINT', () => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write('\nimgsense: stopping after the images in flight (Ctrl+C again to quit at once); a rerun resumes\n');
    stop.abort();
  });
  const result = await captionArchive({
    dir,
    out: values.out ?? (command === 'caption' ? 'captions.jsonl' : 'moderation.jsonl'),
    request: requestFor(command, client, values),
    concurrency: positiveInteger(values.concurrency, '--concurrency', 4),
    retries: positiveInteger(values.retries, '--retries', 5),
    progress: { intervalSeconds: Number(values['progress-interval'] ?? 5) },
    stop: stop.signal,
  });
  if (result.stopped) return 130;
  return result.unsettled > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage =
      error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    process.stderr.write(
      `imgsense: ${error instanceof Error ? error.message : String(error)}\n${usage ? 'Run imgsense --help for the options.\n' : ''}`,
    );
    process.exit(usage ? 2 : 1);
  },
);
