import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildHierarchy } from '../../src/bundle/hierarchy.js';
import type { Manifest } from '../../src/bundle/manifest.js';
import { PERSON_ID } from '../../src/caption/describe-scene.js';
import { conceptScores } from '../../src/caption/hedge.js';
import { selectDetections, selectFaces, thresholdFor } from '../../src/caption/select-detections.js';
import { sceneFacts } from '../../src/caption/describe-scene.js';
import { hedgeScores } from '../../src/caption/hedge.js';
import type { Detection } from '../../src/models/detector.js';

// A tiny classifier hierarchy: entity > animal > cat (class 0); entity > cup (class 1).
const manifest = {
  classes: [
    { id: 'n02121620', name: 'cat' },
    { id: 'n03147509', name: 'cup' },
  ],
  hierarchy: {
    root: 'n00001740',
    nodes: [
      { id: 'n00001740', name: 'entity', parents: [] },
      { id: 'n00015388', name: 'animal', parents: ['n00001740'] },
      { id: 'n02121620', name: 'cat', parents: ['n00015388'] },
      { id: 'n03147509', name: 'cup', parents: ['n00001740'] },
    ],
  },
} as unknown as Manifest;
const hierarchy = buildHierarchy(manifest);
const concepts = (cat: number, cup: number) => conceptScores(hierarchy, new Float32Array([cat, cup]));
const det = (id: string, score: number): Detection => ({ classIndex: 0, id, name: id, score, box: { x: 0, y: 0, width: 1, height: 1 } });

describe('selectDetections (the evidence rules)', () => {
  it('when one person is sure, then weaker people above the count threshold are counted too; with none sure, nobody is', () => {
    const crowd = [det(PERSON_ID, 0.7), det(PERSON_ID, 0.5), det(PERSON_ID, 0.4), det(PERSON_ID, 0.3)];
    assert.equal(selectDetections(crowd, hierarchy, concepts(0.05, 0.95)).length, 3);
    assert.equal(selectDetections(crowd.slice(2), hierarchy, concepts(0.05, 0.95)).length, 0);
    const group = [det(PERSON_ID, 0.5), det(PERSON_ID, 0.47), det(PERSON_ID, 0.3)];
    assert.equal(selectDetections(group, hierarchy, concepts(0.05, 0.95)).length, 2, 'two moderate people corroborate each other');
  });

  it('when the detector has many weak person candidates, then every one counts: a crowd', () => {
    const crowd = [det(PERSON_ID, 0.7), ...Array.from({ length: 9 }, () => det(PERSON_ID, 0.25))];
    assert.equal(selectDetections(crowd, hierarchy, concepts(0.05, 0.95)).length, 10);
    assert.equal(selectDetections(crowd.slice(1), hierarchy, concepts(0.05, 0.95)).length, 0, 'none sure: no one');
    assert.equal(selectDetections(crowd.slice(0, 9), hierarchy, concepts(0.05, 0.95)).length, 1, 'nine candidates are no crowd');
  });

  it('when the image is a drawing, then a weaker person is mentioned, and a less sure animal vetoes it', () => {
    const drawn = [det(PERSON_ID, 0.5)];
    assert.equal(selectDetections(drawn, hierarchy, concepts(0.05, 0.95)).length, 0, 'in a photo 0.5 is too weak');
    assert.equal(selectDetections(drawn, hierarchy, concepts(0.05, 0.95), 'photo').length, 0);
    assert.equal(selectDetections(drawn, hierarchy, concepts(0.05, 0.95), 'drawing').length, 1);
    assert.equal(selectDetections(drawn, hierarchy, concepts(0.05, 0.95), 'painting').length, 1, 'a painting is drawn too');
    assert.equal(selectDetections([det(PERSON_ID, 0.45)], hierarchy, concepts(0.05, 0.95), 'drawing').length, 0);
    assert.equal(selectDetections(drawn, hierarchy, concepts(0.5, 0.5), 'drawing').length, 0, 'a drawn animal at 0.5 vetoes');
    assert.equal(selectDetections([det(PERSON_ID, 0.65)], hierarchy, concepts(0.5, 0.5), 'photo').length, 1, 'in a photo it does not');
  });

  it('when a detection reaches its class threshold, then it is kept; below, it is dropped', () => {
    const t = thresholdFor('n03147509');
    assert.equal(selectDetections([det('n03147509', t)], hierarchy, concepts(0.5, 0.5)).length, 1);
    assert.equal(selectDetections([det('n03147509', t - 0.25)], hierarchy, concepts(0.5, 0.5)).length, 0);
  });

  it('when the classifier agrees on the concept, then a lower score suffices', () => {
    const weak = det('n03147509', thresholdFor('n03147509') - 0.15);
    assert.equal(selectDetections([weak], hierarchy, concepts(0.05, 0.95)).length, 1);
    assert.equal(selectDetections([weak], hierarchy, concepts(0.95, 0.05)).length, 0);
  });

  it('when the classifier is sure of an animal, then a middling person detection is vetoed, a very confident one is not', () => {
    assert.equal(selectDetections([det(PERSON_ID, 0.65)], hierarchy, concepts(0.95, 0.05)).length, 0);
    assert.equal(selectDetections([det(PERSON_ID, 0.65)], hierarchy, concepts(0.05, 0.95)).length, 1);
    assert.equal(selectDetections([det(PERSON_ID, 0.9)], hierarchy, concepts(0.95, 0.05)).length, 1);
  });

  it('when the classifier is sure of an animal, then faces count no one unless the detector counted a person', () => {
    const sureCat = concepts(0.95, 0.05);
    const face = [{ score: 0.95, box: { x: 0.4, y: 0.1, width: 0.1, height: 0.1 } }];
    assert.equal(selectFaces(face, hierarchy, sureCat, 0).length, 0);
    const withPerson = selectDetections([det(PERSON_ID, 0.9)], hierarchy, sureCat);
    const faces = selectFaces(face, hierarchy, sureCat, withPerson.length);
    const facts = sceneFacts(withPerson, hedgeScores(hierarchy, sureCat, 0.8), undefined, undefined, faces);
    assert.equal(facts.form === 'list' ? facts.people : 0, 1);
    assert.equal(selectFaces(face, hierarchy, concepts(0.5, 0.5), 0).length, 1, 'an unsure classifier vetoes nothing');
  });

  it('when faces score below the face threshold, then they do not count', () => {
    const box = { x: 0, y: 0, width: 0.1, height: 0.1 };
    assert.deepEqual(
      selectFaces(
        [
          { score: 0.79, box },
          { score: 0.8, box },
          { score: 0.95, box },
        ],
        hierarchy,
        concepts(0.5, 0.5),
        0,
      ).map((f) => f.score),
      [0.8, 0.95],
    );
  });
  it('when a middling face lies inside a weak person box, then it counts; outside any person box, it does not', () => {
    const face = { score: 0.7, box: { x: 0.2, y: 0.2, width: 0.1, height: 0.1 } };
    const around = { ...det(PERSON_ID, 0.3), box: { x: 0.1, y: 0.1, width: 0.4, height: 0.8 } };
    const elsewhere = { ...around, box: { x: 0.6, y: 0.1, width: 0.3, height: 0.8 } };
    const unsure = concepts(0.5, 0.5);
    assert.equal(selectFaces([face], hierarchy, unsure, 0, [around]).length, 1);
    assert.equal(selectFaces([face], hierarchy, unsure, 0, [elsewhere]).length, 0);
    assert.equal(selectFaces([face], hierarchy, unsure, 0, [{ ...around, score: 0.2 }]).length, 0, 'too weak a box');
    assert.equal(selectFaces([{ ...face, score: 0.5 }], hierarchy, unsure, 0, [around]).length, 0, 'too weak a face');
    assert.equal(selectFaces([face], hierarchy, concepts(0.95, 0.05), 0, [around]).length, 0, 'the animal veto holds');
    const second = { score: 0.65, box: { x: 0.3, y: 0.5, width: 0.1, height: 0.1 } };
    assert.equal(selectFaces([face, second], hierarchy, unsure, 0, [around]).length, 1, 'one box vouches for one face');
    const sure = { ...face, score: 0.9 };
    assert.equal(selectFaces([sure, second], hierarchy, unsure, 0, [around]).length, 1, 'not in a box with a sure face');
  });
});
