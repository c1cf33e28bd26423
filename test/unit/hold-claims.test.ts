import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHierarchy } from '../../src/bundle/hierarchy.js';
import type { Manifest } from '../../src/bundle/manifest.js';
import { firstParentPath } from '../../src/caption/basic-level.js';
import { PERSON_ID } from '../../src/caption/describe-scene.js';
import { conceptScores, hedgeScores } from '../../src/caption/hedge.js';
import { expectedPrecision, heldIndex, holdDetections, holdLabel, type ConceptPrecision } from '../../src/caption/hold-claims.js';
import type { Detection } from '../../src/models/detector.js';
import { tabulate, type ClaimRecord } from '../../scripts/measure-concept-precision.js';

const ROOT = 'n00000001';
const ARTIFACT = 'n00000002';
const VEHICLE = 'n00000003';
const TRUCK = 'n00000004';
const CAR = 'n00000005';
const ANIMAL = 'n00000006';
const HORSE = 'n00000007';
const COW = 'n00000008';

/** entity -> {artifact (too abstract) -> vehicle -> {truck, car}, animal -> {horse, cow}, person}. */
const hierarchy = buildHierarchy({
  classes: [
    [TRUCK, 'truck'],
    [CAR, 'car'],
    [HORSE, 'horse'],
    [COW, 'cow'],
    [PERSON_ID, 'person'],
  ].map(([id, name]) => ({ id, name })),
  hierarchy: {
    root: ROOT,
    nodes: [
      { id: ROOT, name: 'entity', parents: [] },
      { id: ARTIFACT, name: 'artifact', parents: [ROOT] },
      { id: VEHICLE, name: 'vehicle', parents: [ARTIFACT] },
      { id: TRUCK, name: 'truck', parents: [VEHICLE] },
      { id: CAR, name: 'car', parents: [VEHICLE] },
      { id: ANIMAL, name: 'animal', parents: [ROOT] },
      { id: HORSE, name: 'horse', parents: [ANIMAL] },
      { id: COW, name: 'cow', parents: [ANIMAL] },
      { id: PERSON_ID, name: 'person', parents: [ROOT] },
    ],
  },
} as unknown as Manifest);
const ABSTRACT: ReadonlySet<string> = new Set([ROOT, ARTIFACT]);

/** Target 0.9 from 5 judgements; truck well measured and often wrong, car well measured and right, the rest thin. */
function table(pooled: ConceptPrecision['pooled'] = {}): ConceptPrecision {
  return {
    rule: { target: 0.9, min_support: 5, bands: { classifier: [0.9, 0.8, 0.7], detector: [0.8, 0.6, 0.4] } },
    concepts: {
      [TRUCK]: { n: 6, right: 3 },
      [CAR]: { n: 10, right: 10 },
      [VEHICLE]: { n: 16, right: 15 },
      [COW]: { n: 2, right: 0 },
      [HORSE]: { n: 1, right: 1 },
    },
    pooled: {
      'classifier:0.9': { n: 20, right: 19 },
      'classifier:0.7': { n: 20, right: 12 },
      'classifier:broader': { n: 30, right: 28 },
      'detector:0.8': { n: 10, right: 8 },
      'detector:broader': { n: 10, right: 6 },
      ...pooled,
    },
  };
}

const probabilities = (truck: number, car: number, horse: number, cow: number) => new Float32Array([truck, car, horse, cow, 0]);
const box = { x: 0.1, y: 0.1, width: 0.5, height: 0.5 };
const detection = (id: string, score: number): Detection => ({
  classIndex: 0,
  id,
  name: hierarchy.names[hierarchy.ids.indexOf(id)]!,
  score,
  box,
});

describe('claims held to their measured precision', () => {
  it('when a concept has enough judgements, then its own precision decides, whatever the pooled figure', () => {
    assert.equal(expectedPrecision(table(), CAR, 'classifier', 0.75, false), 1);
    assert.equal(expectedPrecision(table(), TRUCK, 'classifier', 0.95, false), 0.5);
  });

  it('when a concept is thinly measured, then the pooled figure of its source and score band stands in', () => {
    assert.equal(expectedPrecision(table(), HORSE, 'classifier', 0.95, false), 0.95);
    assert.equal(expectedPrecision(table(), HORSE, 'classifier', 0.72, false), 0.6);
    assert.equal(expectedPrecision(table(), ANIMAL, 'classifier', 0.72, true), 28 / 30);
    assert.equal(expectedPrecision(table(), HORSE, 'detector', 0.5, false), 0, 'a band never measured holds nothing');
  });

  it('when the classifier says "truck" but trucks are right half the time, then it says the vehicle instead', () => {
    const scores = conceptScores(hierarchy, probabilities(0.92, 0.05, 0.02, 0.01));
    const held = holdLabel(hedgeScores(hierarchy, scores, 0.7), hierarchy, scores, ABSTRACT, table());
    assert.equal(held.id, VEHICLE);
    assert.equal(held.name, 'vehicle');
    assert.deepEqual(held.path, [ROOT, ARTIFACT, VEHICLE]);
    assert.ok(Math.abs(held.score - 0.97) < 1e-6);
    assert.equal(held.isRoot, false);
  });

  it('when the label holds, then it is returned unchanged', () => {
    const scores = conceptScores(hierarchy, probabilities(0.02, 0.95, 0.02, 0.01));
    const hedged = hedgeScores(hierarchy, scores, 0.7);
    assert.equal(holdLabel(hedged, hierarchy, scores, ABSTRACT, table()), hedged);
  });

  it('when neither the concept nor anything below a too-abstract one holds, then nothing is said (the root)', () => {
    const thin = table({ 'classifier:broader': { n: 30, right: 15 } });
    const scores = conceptScores(hierarchy, probabilities(0.02, 0.02, 0.2, 0.76));
    const held = holdLabel(hedgeScores(hierarchy, scores, 0.7), hierarchy, scores, ABSTRACT, thin);
    assert.equal(held.isRoot, true);
    assert.equal(heldIndex(thin, [ROOT, ARTIFACT, VEHICLE, TRUCK], 'classifier', 0.95, ABSTRACT), 2, 'vehicle is well measured');
    assert.equal(heldIndex(thin, [ROOT, ANIMAL, COW], 'classifier', 0.76, ABSTRACT), undefined);
  });

  it('when a detected class does not hold, then it is renamed to the broader concept that does, or dropped; people pass untouched', () => {
    const person = detection(PERSON_ID, 0.5);
    const words = new Map([[VEHICLE, 'vehicle']]);
    const held = holdDetections(
      [detection(TRUCK, 0.85), detection(COW, 0.9), person, detection(CAR, 0.45)],
      hierarchy,
      ABSTRACT,
      table(),
      words,
    );
    assert.deepEqual(
      held.map((d) => [d.id, d.name, d.score]),
      [
        [VEHICLE, 'vehicle', 0.85],
        [PERSON_ID, 'person', 0.5],
        [CAR, 'car', 0.45],
      ],
    );
    assert.equal(held[0]!.box, box);
  });

  it('a detected class climbs through its first parent', () => {
    assert.deepEqual(firstParentPath(hierarchy, TRUCK), [ROOT, ARTIFACT, VEHICLE, TRUCK]);
    assert.equal(firstParentPath(hierarchy, 'n99999999'), undefined);
  });
});

describe('tallying the tuning claims', () => {
  const node = (id: string, verdict: 'right' | 'wrong' | 'vague' | 'abstract') => ({ id, name: id, verdict });
  const records: ClaimRecord[] = [
    {
      file: 'a',
      source: 'classifier',
      score: 0.95,
      path: [node(ROOT, 'abstract'), node(ARTIFACT, 'abstract'), node(VEHICLE, 'right'), node(TRUCK, 'wrong')],
    },
    { file: 'b', source: 'classifier', score: 0.75, path: [node(ROOT, 'abstract'), node(ANIMAL, 'right'), node(HORSE, 'right')] },
    {
      file: 'c',
      source: 'detector',
      score: 0.65,
      path: [node(ROOT, 'abstract'), node(ARTIFACT, 'vague'), node(VEHICLE, 'right'), node(CAR, 'right')],
    },
  ];

  it('counts each said concept in its source and band, each concept above it as broader, and skips abstract and vague ones', () => {
    const { concepts, pooled } = tabulate(records, table().rule);
    const tallies = Object.fromEntries(Object.entries(concepts).map(([id, { n, right }]) => [id, { n, right }]));
    assert.deepEqual(tallies, {
      [VEHICLE]: { n: 2, right: 2 },
      [TRUCK]: { n: 1, right: 0 },
      [ANIMAL]: { n: 1, right: 1 },
      [HORSE]: { n: 1, right: 1 },
      [CAR]: { n: 1, right: 1 },
    });
    assert.equal(concepts[VEHICLE]!.name, VEHICLE);
    assert.deepEqual(pooled, {
      'classifier:0.9': { n: 1, right: 0 },
      'classifier:broader': { n: 2, right: 2 },
      'classifier:0.7': { n: 1, right: 1 },
      'detector:0.6': { n: 1, right: 1 },
      'detector:broader': { n: 1, right: 1 },
    });
  });
});
