import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ImgsenseClient, ImgsenseProblemError } from '../src/index.js';
import { FIXTURES, SKIMAGE, startService, type Service } from './service.js';

let service: Service;
let client: ImgsenseClient;

describe('the batch methods against the real service', () => {
  before(async () => {
    service = await startService();
    client = new ImgsenseClient({ baseUrl: service.url });
  });
  after(() => service.stop());

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
    const results = await client.moderateBatch([readFileSync(`${SKIMAGE}/astronaut.png`), readFileSync(`${FIXTURES}/cat.jpg`)], { categories: ['alcohol'] });
    assert.equal(results.length, 2);
    for (const result of results) {
      assert.ok(!(result instanceof ImgsenseProblemError), String(result));
      assert.deepEqual(result.categories.map((c) => c.id), ['alcohol']);
    }
  });

  it('when the batch has more images than BATCH_MAX_IMAGES, then the whole request is refused with 400 too_many_images', async () => {
    const photo = readFileSync(`${FIXTURES}/cat.jpg`);
    const error = await client.captionBatch(Array.from({ length: 17 }, () => photo)).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ImgsenseProblemError, String(error));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'too_many_images');
  });
});
