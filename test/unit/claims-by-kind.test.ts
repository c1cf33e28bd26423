import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildHierarchy, type Hierarchy } from '../../src/bundle/hierarchy.js';
import { firstParentPath } from '../../src/caption/basic-level.js';
import { claimKindOf, detectionsByKind, labelByKind, type ClaimKind } from '../../src/caption/claims-by-kind.js';
import { PERSON_ID } from '../../src/caption/describe-scene.js';
import type { Detection } from '../../src/models/detector.js';
import { bundleDir } from '../support/bundles.js';

const APPLE = 'n07739125';
const CLOCK = 'n03046257';
const HORSE = 'n02374451';
const box = { x: 0.1, y: 0.1, width: 0.5, height: 0.5 };

describe('claims by kind of image, on the default model hierarchy', () => {
  let hierarchy: Hierarchy;
  const byName = (name: string) => hierarchy.ids[hierarchy.names.indexOf(name)]!;
  const said = (name: string, score: number, kind: ClaimKind) => {
    const id = byName(name);
    const label = { id, name, score, path: firstParentPath(hierarchy, id)!, isRoot: false };
    const held = labelByKind(label, kind, hierarchy, new Float64Array(hierarchy.ids.length).fill(0.95));
    return held.isRoot ? undefined : held.name;
  };
  const detected = (id: string, score: number, kind: ClaimKind) =>
    detectionsByKind([{ id, name: hierarchy.names[hierarchy.ids.indexOf(id)] ?? 'person', score, box } as Detection], kind, hierarchy).map(
      (d) => d.name,
    );

  before(() => {
    // The committed manifest's hierarchy alone: a unit test reads no model.
    hierarchy = buildHierarchy(JSON.parse(readFileSync(join(bundleDir('classifier'), 'model.json'), 'utf8')));
  });

  it('when a photo has transparent pixels, then it is a cut-out; any other kind is held as a drawing, transparent or not', () => {
    assert.equal(claimKindOf('photo', true), 'cutout');
    assert.equal(claimKindOf('drawing', true), 'drawing');
    assert.equal(claimKindOf('photo', false), 'photo');
    assert.equal(claimKindOf('screenshot', false), 'drawing');
  });

  it('when a photo label reaches its band, then the noun is said; below it, the broader word', () => {
    assert.equal(said('tabby cat', 0.85, 'photo'), 'tabby cat');
    assert.equal(said('tabby cat', 0.75, 'photo'), 'cat');
  });

  it('when a cut-out label reaches its band, then the noun is said; below it, the broader word; on a drawing, nothing', () => {
    assert.equal(said('tabby cat', 0.85, 'cutout'), 'tabby cat');
    assert.equal(said('tabby cat', 0.75, 'cutout'), 'cat');
    assert.equal(said('tabby cat', 0.95, 'drawing'), undefined);
  });

  it('when a photo object is below its band, then it is renamed to the broader word, or dropped where there is none; people stay', () => {
    assert.deepEqual(detected(APPLE, 0.75, 'photo'), ['apple']);
    assert.deepEqual(detected(APPLE, 0.6, 'photo'), ['fruit']);
    assert.deepEqual(detected(CLOCK, 0.65, 'photo'), []);
    assert.deepEqual(detected(HORSE, 0.9, 'cutout'), ['animal']);
    assert.deepEqual(detected(HORSE, 0.9, 'drawing'), []);
    assert.deepEqual(detected(PERSON_ID, 0.5, 'drawing'), ['person']);
  });

  it('when a photo object is below its band but the label held lies under its class, then the two models agree and it stays', () => {
    const cat = byName('domestic cat');
    const found = [{ id: cat, name: 'cat', score: 0.53, box } as Detection];
    const agreed = detectionsByKind(found, 'photo', hierarchy, firstParentPath(hierarchy, byName('tabby cat')));
    assert.deepEqual(
      agreed.map((d) => d.id),
      [cat],
    );
    const alone = detectionsByKind(found, 'photo', hierarchy);
    assert.deepEqual(
      alone.map((d) => [d.id, d.name]),
      [[byName('true cat'), 'cat']],
      'alone, it is said by the broader word',
    );
  });

  it('when one box of a class holds its band, then the weaker boxes of that class keep the class too', () => {
    const boat = byName('canoe');
    const boats = [0.8, 0.5, 0.4].map((score) => ({ id: boat, name: 'canoe', score, box }) as Detection);
    assert.deepEqual(
      detectionsByKind(boats, 'photo', hierarchy).map((d) => d.name),
      ['canoe', 'canoe', 'canoe'],
    );
    assert.deepEqual(
      detectionsByKind(boats.slice(1), 'photo', hierarchy).map((d) => d.name),
      ['boat', 'boat'],
      'with no sure box, each is said by the broader word',
    );
  });

  it('when a photo label below its band is already a broad concept with no word above it, then nothing is said', () => {
    assert.equal(said('animal', 0.75, 'photo'), undefined);
    assert.equal(said('animal', 0.85, 'photo'), 'animal');
  });
});
