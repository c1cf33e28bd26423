import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHierarchy } from '../../src/bundle/hierarchy.js';
import type { Manifest } from '../../src/bundle/manifest.js';
import { conceptScores, hedgeLabel, topClasses } from '../../src/caption/hedge.js';

const ROOT = 'n00000001';
const ANIMAL = 'n00000002';
const CAT = 'n00000003';
const DOG = 'n00000004';
const VEHICLE = 'n00000005';
const PET = 'n00000006';
const TABBY = 'n00000010';
const SIAMESE = 'n00000011';
const BEAGLE = 'n00000012';
const CAR = 'n00000013';

/** entity -> {animal -> {cat -> {tabby, siamese}, dog -> beagle}, pet -> dog, vehicle -> car}; dog has two parents. */
function manifest(
  nodes = [
    { id: ROOT, name: 'entity', parents: [] },
    { id: ANIMAL, name: 'animal', parents: [ROOT] },
    { id: CAT, name: 'cat', parents: [ANIMAL] },
    { id: DOG, name: 'dog', parents: [ANIMAL, PET] },
    { id: VEHICLE, name: 'vehicle', parents: [ROOT] },
    { id: PET, name: 'pet', parents: [ROOT] },
    { id: TABBY, name: 'tabby (wordnet)', parents: [CAT] },
    { id: SIAMESE, name: 'Siamese cat', parents: [CAT] },
    { id: BEAGLE, name: 'beagle', parents: [DOG] },
    { id: CAR, name: 'car', parents: [VEHICLE] },
  ],
): Manifest {
  return {
    classes: [
      { id: TABBY, name: 'tabby cat' },
      { id: SIAMESE, name: 'Siamese cat' },
      { id: BEAGLE, name: 'beagle' },
      { id: CAR, name: 'car' },
    ],
    hierarchy: { root: ROOT, nodes },
  } as unknown as Manifest;
}

const hierarchy = buildHierarchy(manifest());
const probabilities = Float32Array.from([0.35, 0.25, 0.28, 0.12]);

describe('hedgeLabel on a small hand-made hierarchy', () => {
  it('when one class reaches the target, then that class is the label, named by the class list', () => {
    const label = hedgeLabel(hierarchy, probabilities, 0.3);
    assert.equal(label.id, TABBY);
    assert.equal(label.name, 'tabby cat');
    assert.ok(Math.abs(label.score - 0.35) < 1e-6);
    assert.deepEqual(label.path, [ROOT, ANIMAL, CAT, TABBY]);
    assert.equal(label.isRoot, false);
  });

  it('when no class reaches the target, then the smallest concept whose classes sum to it is chosen', () => {
    const label = hedgeLabel(hierarchy, probabilities, 0.5);
    assert.equal(label.id, CAT);
    assert.ok(Math.abs(label.score - 0.6) < 1e-6);
    assert.deepEqual(label.path, [ROOT, ANIMAL, CAT]);
  });

  it('when only a broad concept reaches the target, then it hedges up to that concept', () => {
    const label = hedgeLabel(hierarchy, probabilities, 0.8);
    assert.equal(label.id, ANIMAL);
    assert.ok(Math.abs(label.score - 0.88) < 1e-6);
  });

  it('when nothing but the root reaches the target, then the root is returned and flagged', () => {
    const label = hedgeLabel(hierarchy, probabilities, 0.95);
    assert.equal(label.id, ROOT);
    assert.equal(label.isRoot, true);
    assert.deepEqual(label.path, [ROOT]);
  });

  it('when a concept has two parents, then its classes count once in every ancestor', () => {
    const scores = conceptScores(hierarchy, probabilities);
    const index = (id: string) => hierarchy.ids.indexOf(id);
    assert.ok(Math.abs(scores[index(ROOT)]! - 1) < 1e-6);
    assert.ok(Math.abs(scores[index(PET)]! - 0.28) < 1e-6);
    assert.ok(Math.abs(scores[index(ANIMAL)]! - 0.88) < 1e-6);
  });

  it('when the label has two parents, then the path climbs through the more probable one', () => {
    const label = hedgeLabel(hierarchy, Float32Array.from([0.1, 0.1, 0.7, 0.1]), 0.6);
    assert.equal(label.id, BEAGLE);
    assert.deepEqual(label.path, [ROOT, ANIMAL, DOG, BEAGLE]);
  });

  it('when two classes tie, then the choice is deterministic (higher score, then id)', () => {
    const tied = Float32Array.from([0.3, 0.3, 0.3, 0.1]);
    assert.equal(hedgeLabel(hierarchy, tied, 0.3).id, TABBY);
  });
});

describe('buildHierarchy', () => {
  it('when the graph has a cycle, then it refuses the manifest', () => {
    const nodes = manifest().hierarchy!.nodes.map((n) => (n.id === ANIMAL ? { ...n, parents: [ROOT, CAT] } : n));
    assert.throws(() => buildHierarchy(manifest(nodes)), /cycle/);
  });

  it('when a class is missing from the hierarchy, then it refuses the manifest', () => {
    const nodes = manifest().hierarchy!.nodes.filter((n) => n.id !== CAR);
    assert.throws(() => buildHierarchy(manifest(nodes)), /n00000013 is missing/);
  });

  it('when a parent is unknown, then it refuses the manifest', () => {
    const nodes = manifest().hierarchy!.nodes.map((n) => (n.id === CAR ? { ...n, parents: ['n09999999'] } : n));
    assert.throws(() => buildHierarchy(manifest(nodes)), /unknown parent n09999999/);
  });
});

describe('topClasses', () => {
  it('when asked for k, then it returns the k most probable classes best first', () => {
    const top = topClasses(manifest().classes, probabilities, 2);
    assert.deepEqual(
      top.map((c) => c.id),
      [TABBY, BEAGLE],
    );
    assert.equal(top[0]!.name, 'tabby cat');
  });
  it('when 1,000 scores hold ties, then the top k equal a stable sort of all of them (lower index first on a tie)', () => {
    const classes = Array.from({ length: 1000 }, (_, i) => ({ id: `c${i}`, name: `class ${i}` }));
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 20; round++) {
      const scores = Float32Array.from(classes, () => Math.round(random() * 50) / 50);
      const sorted = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
      for (const k of [1, 5, 10]) {
        assert.deepEqual(
          topClasses(classes, scores, k).map((c) => c.id),
          sorted.slice(0, k).map((i) => `c${i}`),
        );
      }
    }
  });
});
