import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALT_TEXT_MAX_CHARS } from '../../src/caption/compose-alt-text.js';
import { composeCaption } from '../../src/caption/compose-caption.js';
import { PERSON_ID, sceneFacts } from '../../src/caption/describe-scene.js';
import type { HedgedLabel } from '../../src/caption/hedge.js';
import { counted, ENGLISH_GRAMMAR, plural, position } from '../../src/caption/languages/english.js';
import type { Detection } from '../../src/models/detector.js';

const CAT = 'n02121620';
const DOG = 'n02084071';
const CUP = 'n03147509';

function det(id: string, name: string, x: number, y: number, size = 0.3, score = 0.8): Detection {
  return { classIndex: 0, id, name, score, box: { x, y, width: size, height: size } };
}
const person = (x: number, y = 0.3) => det(PERSON_ID, 'person', x, y);
const vague: HedgedLabel = { id: 'n00001740', name: 'entity', score: 1, path: ['n00001740'], isRoot: true };
const tabby: HedgedLabel = { id: 'n02123045', name: 'tabby cat', score: 0.8, path: ['n00001740', CAT, 'n02123045'], isRoot: false };
/** The English alt-text and description of a photo's detections and label, through the one composer. */
const describeScene = (detections: Detection[], label: HedgedLabel) =>
  composeCaption(sceneFacts(detections, label), 'photo', '', ENGLISH_GRAMMAR);
const clothing: HedgedLabel = { id: 'n03051540', name: 'clothing', score: 0.8, path: ['n00001740', 'n03051540'], isRoot: false };

describe('describeScene', () => {
  it('when the detector finds 3 boats, then they are boats without a number, for its counts of objects are not reliable', () => {
    const boats = [0.1, 0.4, 0.7].map((x) => det('n02858304', 'boat', x, 0.5, 0.2));
    assert.equal(describeScene(boats, vague).alt_text, 'May be an image of boats.');
  });

  it('when two people and a dog are detected, then people come first, counted', () => {
    const text = describeScene([person(0.1), person(0.5), det(DOG, 'dog', 0.0, 0.6, 0.2)], vague);
    assert.equal(text.alt_text, 'May be an image of 2 people and a dog.');
    assert.match(text.description, /2 people .*a dog at the bottom left/);
  });

  it('when one person is detected and the classifier says clothing, then the person is a person, never clothing', () => {
    const text = describeScene([person(0.35)], clothing);
    assert.equal(text.alt_text, 'May be an image of a person.');
  });

  it('when more people than the exact bound are detected, then it says a group of people', () => {
    const crowd = Array.from({ length: 7 }, (_, i) => person(i * 0.1));
    assert.equal(describeScene(crowd, vague).alt_text, 'May be an image of a group of people.');
  });

  it('when faces outnumber the person boxes, then the faces give the count; when the detector sees more, its count stays', () => {
    const face = (x: number) => ({ score: 0.9, box: { x, y: 0.2, width: 0.1, height: 0.1 } });
    const say = (detections: Detection[], faces: ReturnType<typeof face>[]) =>
      composeCaption(sceneFacts(detections, vague, undefined, undefined, faces), 'photo', '', ENGLISH_GRAMMAR).alt_text;
    assert.equal(say([], [face(0.4)]), 'May be an image of a person.');
    assert.equal(say([person(0.1)], [face(0.1), face(0.5)]), 'May be an image of 2 people.');
    const crowd = Array.from({ length: 7 }, (_, i) => person(i * 0.1));
    assert.equal(say(crowd, [face(0.1), face(0.5)]), 'May be an image of a group of people.');
    assert.equal(say([person(0.1), person(0.5)], [face(0.1)]), 'May be an image of 2 people.');
  });

  it('when one object is detected and the classifier label lies at or under its class, then the hedged label speaks', () => {
    const text = describeScene([det(CAT, 'cat', 0.3, 0.3, 0.5)], tabby);
    assert.equal(text.alt_text, 'May be a tabby cat.');
    assert.equal(text.description, 'May be a tabby cat, in the centre.');
  });

  it('when two objects are detected and the label lies under one of them, then the finer name replaces it in the list', () => {
    assert.equal(
      describeScene([det(CAT, 'cat', 0.3, 0.3, 0.5), det(CUP, 'cup', 0, 0, 0.2)], tabby).alt_text,
      'May be an image of a tabby cat and a cup.',
    );
  });

  it('when the classifier label disagrees with the detected class, then the detector name stays', () => {
    assert.equal(describeScene([det(CUP, 'cup', 0.3, 0.3)], tabby).alt_text, 'May be an image of a cup.');
  });

  it('when nothing is detected, then the hedged label alone speaks, and a vague one gives "An image."', () => {
    assert.equal(describeScene([], tabby).alt_text, 'May be a tabby cat.');
    assert.equal(describeScene([], vague).alt_text, 'An image.');
  });

  it('when many kinds of object are detected, then the alt-text names two and stays within the budget', () => {
    const names = ['dining table', 'wine glass', 'bottle', 'fork', 'knife', 'spoon', 'bowl'];
    const text = describeScene([person(0.4), ...names.map((n, i) => det(`n0${i}`, n, i * 0.1, 0.5, 0.1 + i * 0.01))], vague);
    assert.ok(text.alt_text.length <= ALT_TEXT_MAX_CHARS);
    assert.equal(text.alt_text.split(' and ').length, 2, text.alt_text);
    assert.ok(text.description.length > text.alt_text.length);
  });
});

describe('noun forms and positions', () => {
  it('pluralises regular and listed nouns', () => {
    assert.deepEqual(['dog', 'bus', 'person', 'knife', 'sheep', 'wine glass', 'teddy bear'].map(plural), [
      'dogs',
      'buses',
      'people',
      'knives',
      'sheep',
      'wine glasses',
      'teddy bears',
    ]);
  });
  it('counts with the right article', () => {
    assert.deepEqual(
      [counted('umbrella', 1), counted('cup', 1), counted('cup', 3), counted('cup', 3, false), counted('broccoli', 2)],
      ['an umbrella', 'a cup', '3 cups', 'cups', 'broccoli'],
    );
  });
  it('names a rough position from the box centre', () => {
    assert.equal(position({ x: 0.4, y: 0.4, width: 0.2, height: 0.2 }), 'in the centre');
    assert.equal(position({ x: 0, y: 0.4, width: 0.2, height: 0.2 }), 'on the left');
    assert.equal(position({ x: 0.8, y: 0, width: 0.2, height: 0.2 }), 'at the top right');
  });
});
