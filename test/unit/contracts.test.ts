import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildHierarchy } from '../../src/bundle/hierarchy.js';
import { manifestSchemaErrors } from '../../src/bundle/load-bundle.js';
import type { Manifest } from '../../src/bundle/manifest.js';
import { hedgeLabel } from '../../src/caption/hedge.js';
import { centerCropRegion } from '../../src/image/resize.js';
import { projectPath } from '../../src/project-root.js';

// The vectors training/tests/test_contracts.py runs too (shape and rules: contracts/README.md).
const read = (name: string) => JSON.parse(readFileSync(projectPath('contracts', name), 'utf8'));
const hedging = read('hedging-vectors.json');
const manifests = read('manifest-vectors.json');
const resizes = read('resize-vectors.json');

describe('contracts/resize-vectors.json through centerCropRegion', () => {
  for (const vector of resizes.cases) {
    it(vector.name, () => {
      const spec = { ...vector.input, interpolation: 'bilinear' as const };
      assert.deepEqual(centerCropRegion(vector.image.width, vector.image.height, vector.input.resize.shorter_side, spec), vector.region);
    });
  }
});

describe('contracts/hedging-vectors.json through hedgeLabel', () => {
  const hierarchy = buildHierarchy({ task: 'caption', classes: hedging.classes, hierarchy: hedging.hierarchy } as Manifest);
  for (const vector of hedging.cases) {
    it(vector.name, () => {
      const label = hedgeLabel(hierarchy, Float32Array.from(vector.probabilities), vector.precision_target);
      assert.deepEqual({ id: label.id, name: label.name, path: label.path }, vector.expected);
    });
  }
});

describe('contracts/manifest-vectors.json through the schema and buildHierarchy', () => {
  it('the valid manifest passes both', async () => {
    assert.deepEqual(await manifestSchemaErrors(manifests.valid), []);
    assert.doesNotThrow(() => buildHierarchy(manifests.valid));
  });
  for (const vector of manifests.invalid) {
    it(`${vector.kind}: ${vector.name}`, async () => {
      const errors = await manifestSchemaErrors(vector.manifest);
      if (vector.kind === 'schema') {
        const at = errors.map((e) =>
          e.keyword === 'required' ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}` : e.instancePath,
        );
        assert.ok(at.includes(vector.at), `expected an error at ${vector.at}, got ${JSON.stringify(at)}`);
      } else {
        assert.deepEqual(errors, [], 'a semantic vector passes the schema');
        assert.throws(
          () => buildHierarchy(vector.manifest),
          (error: Error) => error.message.includes(vector.error),
        );
      }
    });
  }
});
