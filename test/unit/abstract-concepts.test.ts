import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHierarchy, type Hierarchy } from '../../src/bundle/hierarchy.js';
import { bundleDir } from '../support/bundles.js';
import { LISTED_ABSTRACT, tooAbstractConcepts, tooAbstractToHedge } from '../../src/caption/abstract-concepts.js';
import { BASIC_LEVEL } from '../../src/caption/basic-level.js';

describe('too-abstract concepts, derived from the default model hierarchy', () => {
  let hierarchy: Hierarchy;
  let abstract: ReadonlySet<string>;
  const byName = (name: string) => hierarchy.ids[hierarchy.names.indexOf(name)]!;

  before(() => {
    // The committed manifest's hierarchy alone: a unit test reads no model.
    hierarchy = buildHierarchy(JSON.parse(readFileSync(join(bundleDir('classifier'), 'model.json'), 'utf8')));
    abstract = tooAbstractConcepts(hierarchy);
  });

  it('when a concept is an ancestor of a listed one, then it is too abstract as well', () => {
    for (const name of ['artifact', 'instrumentality', 'whole', 'physical object', 'physical entity', 'entity', 'organism']) {
      assert.ok(abstract.has(byName(name)), `${name} should be too abstract`);
    }
  });

  it('when a concept lies below the listed ones, then it can be said', () => {
    for (const name of ['domestic dog', 'domestic cat', 'tabby cat', 'clothing', 'espresso', 'bird']) {
      const id = byName(name);
      assert.ok(id, `${name} is in the hierarchy`);
      assert.ok(!abstract.has(id), `${name} should be sayable`);
    }
  });

  it('when an ancestor of a listed concept is a basic-level word readers use, then it can be said', () => {
    assert.ok(abstract.has(byName('vertebrate')));
    assert.ok(!abstract.has(byName('animal')), 'animal lies above vertebrate and is said');
  });

  it("when the hedger's own label is a basic-level word above a listed concept, then it is not said (summed, it is chance)", () => {
    const hedge = tooAbstractToHedge(hierarchy);
    for (const name of ['animal', 'vertebrate', 'organism']) assert.ok(hedge.has(byName(name)), `${name} as a hedged label`);
    for (const name of ['bird', 'domestic dog', 'clothing']) assert.ok(!hedge.has(byName(name)), `${name} as a hedged label`);
  });

  it('when the ancestors are closed over, then every parent of an abstract concept is abstract or a basic-level word', () => {
    hierarchy.ids.forEach((id, node) => {
      if (!abstract.has(id)) return;
      for (const parent of hierarchy.parents[node]!) {
        const above = hierarchy.ids[parent]!;
        assert.ok(abstract.has(above) || BASIC_LEVEL.has(above), `${hierarchy.names[parent]} above ${id}`);
      }
    });
    assert.ok(abstract.size > LISTED_ABSTRACT.size);
  });
});
