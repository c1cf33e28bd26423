import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { projectPath } from '../../src/project-root.js';
import type { SetImage } from '../../scripts/eval-alt-text-http.js';
import type { Judged } from '../../scripts/alt-text-table.js';

const read = <T>(file: string): T => JSON.parse(readFileSync(projectPath(file), 'utf8')) as T;
const images = (file: string) => read<{ images: SetImage[] }>(file).images;
const tuning = [...images('devset/labels.json'), ...images('devset/tuning-more.json')];
const heldout = images('devset/heldout.json');
const packageOf = (image: SetImage) => `${image.source.registry} ${image.source.package}`;

describe('the labelled alt-text set, split by package into tuning and held-out parts', () => {
  it('when both parts are read, then no package has images in both, and no image appears twice', () => {
    const tuned = new Set(tuning.map(packageOf));
    const shared = [...new Set(heldout.map(packageOf))].filter((name) => tuned.has(name));
    assert.deepEqual(shared, []);
    const all = [...tuning, ...heldout];
    assert.equal(new Set(all.map((image) => image.sha256)).size, all.length, 'a sha256 appears twice');
    assert.equal(new Set(all.map((image) => image.file)).size, all.length, 'a file appears twice');
  });

  it('when counted, then there are at least 400 images, 150 of them held out, with every kind and with people', () => {
    assert.ok(tuning.length + heldout.length >= 400, `${tuning.length + heldout.length} images`);
    assert.ok(heldout.length >= 150, `${heldout.length} held-out images`);
    for (const kind of ['photo', 'screenshot', 'chart', 'drawing', 'document'] as const) {
      assert.ok(
        heldout.some((image) => image.kind === kind),
        `no held-out ${kind}`,
      );
    }
    assert.ok(heldout.filter((image) => image.people !== 0).length >= 25, 'fewer than 25 held-out images with people');
  });

  it('when each label is read, then it has a licence, a sha256, a valid people count and at least one subject', () => {
    for (const image of [...tuning, ...heldout]) {
      assert.match(image.sha256, /^[0-9a-f]{64}$/, image.file);
      assert.ok(image.source.licence.length > 0 && !/AGPL|Affero/i.test(image.source.licence), `${image.file}: licence`);
      assert.ok(
        image.people === 'many' || (Number.isInteger(image.people) && image.people >= 0 && image.people <= 5),
        `${image.file}: people ${image.people}`,
      );
      assert.ok(image.subjects.length > 0, `${image.file}: no subject`);
    }
  });

  it('when the judgement file is read, then every held-out image has one verdict and nothing else does', () => {
    const { judged } = read<{ judged: Judged }>('devset/heldout-judged.json');
    assert.deepEqual(Object.keys(judged).sort(), heldout.map((image) => image.file).sort());
    for (const [file, entry] of Object.entries(judged))
      assert.ok(['useful', 'vague', 'wrong'].includes(entry.verdict), `${file}: ${entry.verdict}`);
  });
});
