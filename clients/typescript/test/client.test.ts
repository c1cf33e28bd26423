import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ImgsenseClient, ImgsenseProblemError } from '../src/index.js';
import { FIXTURES, SKIMAGE, startService, type Service } from './service.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
/** Inside the package, so that `import '@imgsense/client'` resolves to this package's dist/ (Node's self-reference by name). */
const EXAMPLE = fileURLToPath(new URL('../readme-example.test-output.mjs', import.meta.url));

let service: Service;
let client: ImgsenseClient;

async function rejection(promise: Promise<unknown>): Promise<ImgsenseProblemError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(
    error instanceof ImgsenseProblemError,
    `expected ImgsenseProblemError, got ${String(error)} ${String((error as Error).cause ?? '')}`,
  );
  return error;
}

// One service with the default models for every suite of this file (node --test runs each file in its own process, and a start costs seconds).
before(async () => {
  service = await startService();
  client = new ImgsenseClient({ baseUrl: service.url });
});
after(() => service.stop());

describe('caption and moderate against the real service', () => {
  it('when given the cat photo as bytes, then caption answers a hedged sentence about a cat', async () => {
    const result = await client.caption(readFileSync(`${SKIMAGE}/chelsea.png`));
    assert.match(result.alt_text, /^[A-Z].*cat.*\.$/);
    assert.ok(result.labels.length > 0 && result.label.path.length > 0);
  });

  it('when given a Blob and max_labels, then caption passes the query', async () => {
    const blob = new Blob([readFileSync(`${SKIMAGE}/coffee.png`)], { type: 'image/png' });
    const result = await client.caption(blob, { max_labels: 2 });
    assert.equal(result.labels.length, 2);
  });

  it('when asked for a subset of categories, then moderate scores only those', async () => {
    const result = await client.moderate(readFileSync(`${SKIMAGE}/astronaut.png`), { categories: ['weapons', 'alcohol'] });
    assert.deepEqual(result.categories.map((c) => c.id).sort(), ['alcohol', 'weapons']);
    assert.equal(result.flagged, false);
  });

  it('when a threshold override is out of bounds, then the deepObject query reaches the service and 400 invalid_request is thrown', async () => {
    const error = await rejection(client.moderate(readFileSync(`${SKIMAGE}/chelsea.png`), { thresholds: { weapons: 0.01 } }));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_request');
    assert.match(error.detail ?? '', /weapons/);
  });

  it('when the upload is a PDF, then ImgsenseProblemError carries the 415 problem document', async () => {
    const error = await rejection(client.caption(readFileSync(`${FIXTURES}/document.pdf`)));
    assert.equal(error.status, 415);
    assert.equal(error.code, 'unsupported_media_type');
    assert.equal(error.type, 'https://imgsense.invalid/problems/unsupported-media-type');
    assert.equal(typeof error.title, 'string');
    assert.equal(error.problem.status, 415);
    assert.ok(error.requestId);
  });

  it('when the image is truncated, then the problem is 422 corrupt_image', async () => {
    const error = await rejection(client.caption(readFileSync(`${FIXTURES}/cat-truncated.jpg`)));
    assert.equal(error.status, 422);
    assert.equal(error.code, 'corrupt_image');
  });
});

describe('the batch methods against the real service', () => {
  it('when one of three images is a PDF, then captionBatch gives two captions and that image its own 415, in order', async () => {
    const [cat, pdf, coffee] = await client.captionBatch(
      [readFileSync(`${SKIMAGE}/chelsea.png`), readFileSync(`${FIXTURES}/document.pdf`), readFileSync(`${SKIMAGE}/coffee.png`)],
      { max_labels: 2 },
    );
    assert.ok(!(cat instanceof ImgsenseProblemError) && /cat/.test(cat!.alt_text), String(cat));
    assert.ok(pdf instanceof ImgsenseProblemError);
    assert.equal(pdf.status, 415);
    assert.equal(pdf.code, 'unsupported_media_type');
    assert.ok(!(coffee instanceof ImgsenseProblemError) && coffee!.labels.length === 2);
  });

  it('when two photos are moderated for a subset, then moderateBatch scores each for that subset only', async () => {
    const results = await client.moderateBatch([readFileSync(`${SKIMAGE}/astronaut.png`), readFileSync(`${FIXTURES}/cat.jpg`)], {
      categories: ['alcohol'],
    });
    assert.equal(results.length, 2);
    for (const result of results) {
      assert.ok(!(result instanceof ImgsenseProblemError), String(result));
      assert.deepEqual(
        result.categories.map((c) => c.id),
        ['alcohol'],
      );
    }
  });

  it('when the batch has more images than BATCH_MAX_IMAGES, then the whole request is refused with 400 too_many_images', async () => {
    const photo = readFileSync(`${FIXTURES}/cat.jpg`);
    const error = await client.captionBatch(Array.from({ length: 17 }, () => photo)).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ImgsenseProblemError, `${String(error)} ${String((error as Error).cause ?? '')}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'too_many_images');
  });
});

describe('the README example', () => {
  after(() => rmSync(EXAMPLE, { force: true }));

  it('when the js block is run with node against the real service, then it prints what the README says', async () => {
    const block = /```js\n([\s\S]*?)```/.exec(readFileSync(README, 'utf8'))?.[1];
    assert.ok(block, 'no js block in README.md');
    writeFileSync(EXAMPLE, block);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [EXAMPLE], { env: { ...process.env, IMGSENSE_URL: service.url }, timeout: 60_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      );
    });
    const lines = stdout.trim().split('\n');
    assert.match(lines[0]!, /^Probably a domestic cat\. \[ '.+', '.+', '.+' \]$/);
    assert.equal(lines[1], 'flagged: false');
    assert.equal(lines[2], 'Probably a domestic cat.');
    assert.equal(lines[3], 'problem 415 unsupported_media_type');
    assert.match(lines[4]!, /^415 unsupported_media_type Detected pdf/);
  });
});
