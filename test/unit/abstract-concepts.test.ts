import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHierarchy, type Hierarchy } from '../../src/bundle/hierarchy.js';
import { bundleDir } from '../support/bundles.js';
import { LISTED_ABSTRACT, tooAbstractConcepts } from '../../src/caption/abstract-concepts.js';

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
    for (const name of ['artifact', 'instrumentality', 'whole', 'physical object', 'physical entity', 'entity', 'animal', 'organism']) {
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

  it('when the ancestors are closed over, then every parent of an abstract concept is abstract', () => {
    hierarchy.ids.forEach((id, node) => {
      if (!abstract.has(id)) return;
      for (const parent of hierarchy.parents[node]!)
        assert.ok(abstract.has(hierarchy.ids[parent]!), `${hierarchy.names[parent]} above ${id}`);
    });
    assert.ok(abstract.size > LISTED_ABSTRACT.size);
  });
});
