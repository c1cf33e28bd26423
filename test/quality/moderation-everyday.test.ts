// Everyday real photos under the default policy, scored by the two real models through the service's own stages
// (decode once, resize per model, inference pool). Prints every score: docs/moderation.md quotes them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadBundle, type ModelBundle } from '../../src/bundle/load-bundle.js';
import { decodeImage } from '../../src/image/decode.js';
import { resizeForModel } from '../../src/image/resize.js';
import { loadPolicy } from '../../src/moderation/policy.js';
import { resolvePolicy, type ResolvedPolicy } from '../../src/moderation/resolve-policy.js';
import { scoreCategories, type ModelOutputs } from '../../src/moderation/score-categories.js';
import { InferencePool } from '../../src/runtime/inference-pool.js';
import { photo } from '../support/photos.js';

const EVERYDAY = [
  ['a cat', 'chelsea.png'],
  ['a cup of coffee', 'coffee.png'],
  ['a rocket launch', 'rocket.jpg'],
  ['a motorcycle', 'motorcycle_left.png'],
  ['a motorcycle from the right', 'motorcycle_right.png'],
  ['an astronaut', 'astronaut.png'],
] as const;

describe('everyday photos under the default policy', () => {
  let caption: ModelBundle;
  let nsfw: ModelBundle;
  let pool: InferencePool;
  let policy: ResolvedPolicy;

  before(async () => {
    [caption, nsfw] = await Promise.all([loadBundle('models/efficientnet-lite0'), loadBundle('models/nsfw-mobilenetv2')]);
    policy = resolvePolicy(loadPolicy(), { caption: caption.manifest, nsfw: nsfw.manifest });
    pool = await InferencePool.start([caption, nsfw], {
      workers: 1,
      intraOpThreads: 1,
      provider: 'cpu',
      batch: { maxBatchSize: 4, maxWaitMs: 2, queueMax: 16 },
    });
  });
  after(async () => pool?.close());

  async function outputsFor(file: string): Promise<ModelOutputs> {
    const raw = await decodeImage(photo(file), { maxPixels: 50_000_000 });
    const [captionPixels, nsfwPixels] = await Promise.all([
      resizeForModel(raw, caption.manifest.input),
      resizeForModel(raw, nsfw.manifest.input),
    ]);
    const [captionProbs, nsfwProbs] = await Promise.all([
      pool.infer(caption.manifest.name, captionPixels),
      pool.infer(nsfw.manifest.name, nsfwPixels),
    ]);
    return { caption: captionProbs, nsfw: nsfwProbs };
  }

  it('resolves every default category against the shipped models', () => {
    assert.deepEqual(policy.unsupported, []);
    const weapons = policy.categories.find((c) => c.id === 'weapons')!;
    assert.deepEqual([...weapons.classIds].sort(), ['n02749479', 'n04086273', 'n04090263']); // assault rifle, revolver, rifle
    const alcohol = policy.categories.find((c) => c.id === 'alcohol')!;
    assert.deepEqual([...alcohol.classIds].sort(), ['n02823428', 'n02823750', 'n03062245', 'n04579145', 'n04591713', 'n07892512']);
  });

  for (const [what, file] of EVERYDAY) {
    it(`when the photo is ${what}, then nothing is flagged`, async () => {
      const result = scoreCategories(policy, await outputsFor(file));
      const scores = result.categories.map((c) => `${c.id}=${c.score.toFixed(4)}/${c.threshold}`).join(' ');
      console.log(`${file.padEnd(22)} ${scores}`);
      assert.deepEqual(
        result.categories.map((c) => c.id),
        ['sexual', 'suggestive', 'weapons', 'alcohol'],
      );
      assert.equal(result.flagged, false, scores);
    });
  }
});
