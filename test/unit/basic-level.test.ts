import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildHierarchy, type Hierarchy } from '../../src/bundle/hierarchy.js';
import { BASIC_LEVEL, basicLevelLabel, firstParentPath, isModelClass } from '../../src/caption/basic-level.js';
import type { HedgedLabel } from '../../src/caption/hedge.js';
import { LANGUAGE_PACKS } from '../../src/caption/languages/packs.js';
import { bundleDir } from '../support/bundles.js';

describe('basic-level words, on the default model hierarchy', () => {
  let hierarchy: Hierarchy;
  const byName = (name: string) => hierarchy.ids[hierarchy.names.indexOf(name)]!;
  const labelAt = (name: string): HedgedLabel => {
    const id = byName(name);
    return { id, name, score: 0.8, path: firstParentPath(hierarchy, id)!, isRoot: false };
  };
  const said = (name: string) => {
    const label = basicLevelLabel(labelAt(name), hierarchy, new Float64Array(hierarchy.ids.length).fill(0.9));
    return label.isRoot ? undefined : label.name;
  };

  before(() => {
    // The committed manifest's hierarchy alone: a unit test reads no model.
    hierarchy = buildHierarchy(JSON.parse(readFileSync(join(bundleDir('classifier'), 'model.json'), 'utf8')));
  });

  it('when hedging stops above the classes, then the nearest word a reader uses is said', () => {
    assert.equal(said('bovid'), 'animal');
    assert.equal(said('placental mammal'), 'animal');
    assert.equal(said('domestic dog'), 'dog');
    assert.equal(said('wading bird'), 'bird');
    assert.equal(said('motor vehicle'), 'vehicle');
    assert.equal(said('edible fruit'), 'fruit');
  });

  it('when the label is one of the model classes, then its own name is said', () => {
    assert.ok(isModelClass(hierarchy, byName('tabby cat')));
    assert.equal(said('tabby cat'), 'tabby cat');
  });

  it('when no word a reader uses lies above the concept, then nothing is said', () => {
    assert.equal(said('protective covering'), undefined);
  });

  it('when the words are listed, then none is a term readers do not use, and each names a concept of the hierarchy', () => {
    for (const word of ['bovid', 'placental mammal', 'protective covering', 'artifact', 'organism', 'mammal'])
      assert.ok(![...BASIC_LEVEL.values()].includes(word), word);
    for (const id of BASIC_LEVEL.keys()) assert.ok(hierarchy.ids.includes(id), id);
  });

  it('when a language pack says a basic-level word, then it is a name of its own, not a borrowed ancestor', () => {
    for (const [lang, pack] of LANGUAGE_PACKS) {
      const missing = [...BASIC_LEVEL].filter(([id]) => pack.names[id] === undefined).map(([, word]) => word);
      assert.deepEqual(missing, [], lang);
    }
  });
});
