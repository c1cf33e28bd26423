import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hierarchy } from '../../src/bundle/hierarchy.js';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, fixture, postImage } from '../support/service.js';
import { photo } from '../support/photos.js';

const CAT = 'n02121620';
const DOMESTIC_CAT = 'n02121808';
const BEVERAGE = 'n07881800';
const CUP = 'n03147509';
const COFFEE_MUG = 'n03063599';
const ROCKET_OR_WEAPON_OR_SPACECRAFT = ['n04099429', 'n04565375', 'n04264914'];
const MOTOR_VEHICLE = 'n03791235';
const CLOTHING = 'n03051540';

let service: RunningServer;
let hierarchy: Hierarchy;

/** True when concept `id` lies at or below `ancestor` (every class below id is below ancestor). */
function isUnder(id: string, ancestor: string): boolean {
  const node = hierarchy.ids.indexOf(id);
  const above = hierarchy.ids.indexOf(ancestor);
  assert.ok(node >= 0 && above >= 0, `unknown id ${id} or ${ancestor}`);
  return [...hierarchy.leaves[node]!].every((leaf) => hierarchy.leaves[above]!.includes(leaf));
}

async function caption(body: Buffer, type: string, query = ''): Promise<any> {
  const response = await postImage(service.url, body, type, query);
  const json = await response.json();
  assert.equal(response.status, 200, JSON.stringify(json));
  assertMatchesSpec('caption', json);
  return json;
}

/** The top class must sit under one of the expected concepts, and the hedged label must be on that line (not beside it). */
function assertLandsUnder(result: any, expected: string[]): void {
  const top = result.labels[0].id;
  assert.ok(
    expected.some((ancestor) => isUnder(top, ancestor)),
    `top class ${result.labels[0].name} is not under ${expected}`,
  );
  const consistent = expected.some((e) => isUnder(result.label.id, e) || isUnder(e, result.label.id));
  assert.ok(consistent, `hedged label ${result.label.name} is off the line to ${expected}`);
  assert.equal(result.label.path[0], hierarchy.ids[hierarchy.root]);
  assert.equal(result.label.path.at(-1), result.label.id);
}

describe('POST /caption on real photos with the default model', () => {
  before(async () => {
    service = await boot();
    hierarchy = service.models.bundles[0]!.hierarchy!;
  });
  after(() => service.drain());

  const photos: [string, string, string[]][] = [
    ['chelsea.png', 'image/png', [DOMESTIC_CAT]],
    ['coffee.png', 'image/png', [BEVERAGE, CUP, COFFEE_MUG]],
    ['rocket.jpg', 'image/jpeg', ROCKET_OR_WEAPON_OR_SPACECRAFT],
    ['motorcycle_left.png', 'image/png', [MOTOR_VEHICLE]],
  ];
  for (const [name, type, expected] of photos) {
    it(`when the photo is ${name}, then it lands under ${expected.join(' or ')}`, async () => {
      assertLandsUnder(await caption(photo(name), type), expected);
    });
  }

  it('when the photo is grace_hopper.jpg (matplotlib), then it lands under clothing', async () => {
    assertLandsUnder(await caption(photo('grace_hopper.jpg', 'matplotlib'), 'image/jpeg'), [CLOTHING]);
  });

  it('when the photo is the cat, then the alt text names a cat with an honest hedge and the model is named', async () => {
    const result = await caption(photo('chelsea.png'), 'image/png');
    assert.ok(isUnder(result.label.id, CAT), result.label.name);
    assert.match(result.alt_text, /^(May be|Probably) an? [^.]*cat\.$/);
    assert.ok(result.alt_text.length < 125);
    assert.equal(result.labels.length, 5);
    assert.deepEqual(result.model, { name: 'efficientnet-lite0', version: service.models.bundles[0]!.manifest.version });
    assert.equal(result.precision_target, 0.7);
  });

  const formats: [string, string, string[]][] = [
    ['cat.jpg', 'image/jpeg', [DOMESTIC_CAT]],
    ['cat-exif-rotated.jpg', 'image/jpeg', [DOMESTIC_CAT]],
    ['cat-cmyk.jpg', 'image/jpeg', [DOMESTIC_CAT]],
    ['cat-then-red.gif', 'image/gif', [DOMESTIC_CAT]],
    ['coffee-alpha.png', 'image/png', [BEVERAGE, CUP, COFFEE_MUG]],
    ['coffee.webp', 'image/webp', [BEVERAGE, CUP, COFFEE_MUG]],
    ['coffee.heif', 'image/heif', [BEVERAGE, CUP, COFFEE_MUG]],
    ['rocket.avif', 'image/avif', ROCKET_OR_WEAPON_OR_SPACECRAFT],
    ['motorcycle.tiff', 'image/tiff', [MOTOR_VEHICLE]],
  ];
  for (const [name, type, expected] of formats) {
    it(`when the upload is ${name} (${type}), then it is decoded and lands under ${expected.join(' or ')}`, async () => {
      assertLandsUnder(await caption(fixture(name), type), expected);
    });
  }

  it('when the declared type disagrees with the bytes, then the real format is used', async () => {
    assertLandsUnder(await caption(fixture('coffee.webp'), 'image/jpeg'), [BEVERAGE, CUP, COFFEE_MUG]);
  });

  it('when max_labels and precision_target are given, then they shape the answer', async () => {
    const rocket = photo('rocket.jpg');
    const loose = await caption(rocket, 'image/jpeg', '?max_labels=2&precision_target=0.3');
    const strict = await caption(rocket, 'image/jpeg', '?max_labels=12&precision_target=0.99');
    assert.equal(loose.labels.length, 2);
    assert.equal(strict.labels.length, 12);
    assert.equal(strict.precision_target, 0.99);
    assert.ok(loose.label.score >= 0.3 && strict.label.score >= 0.99);
    assert.ok(isUnder(loose.label.id, strict.label.id), `${loose.label.name} is not under ${strict.label.name}`);
    assert.notEqual(loose.label.id, strict.label.id);
  });
});
