import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE_KINDS } from '../../src/caption/fold-kind.js';
import { loadConfig } from '../../src/config.js';
import { nameConcepts, scoreAltText, WORDNET, type DevImage, type IsUnder } from '../../devset/score-alt-text.js';
import { evaluateDevSet, formatReport, loadDevSet, type Tally } from '../../scripts/eval-alt-text.js';
import { loadRealSet, resolveImage } from '../../textset/load-text-set.js';

const CLOTHING = 'n03051540';
const DOG = 'n02084071';
const isUnder: IsUnder = (id, ancestor) => id === ancestor || (ancestor === WORDNET.animal && id === DOG);
const image = (people: DevImage['people'], subjects: string[], acceptable: string[] = [], vague: string[] = []): DevImage => ({
  file: 'x.jpg',
  source: { registry: 'debian', package: 'p', version: '1', path: 'x.jpg', licence: 'CC0' },
  sha256: '',
  kind: 'photo',
  people,
  subjects,
  acceptable,
  vague,
  note: '',
});
const score = (img: DevImage, altText: string, ids: Record<string, string> = {}) =>
  scoreAltText(img, { altText, ids: new Map(Object.entries(ids)) }, isUnder);

describe('scoring one alt-text', () => {
  it('when a photo of a woman is called "a clothing", then it is a wrong claim, a person described as clothing, and ungrammatical', () => {
    const result = score(image(1, ['woman'], ['person']), 'May be a clothing.', { clothing: CLOTHING });
    assert.deepEqual(
      result.wrong.map((w) => w.reason),
      ['concept', 'person_as_thing'],
    );
    assert.deepEqual(result.grammar, ['article before a mass noun: "a clothing"']);
    assert.equal(result.usefulAndCorrect, false);
  });

  it('when two people and a dog are named for a photo of two people and a dog, then it is useful and correct with the exact count', () => {
    const result = score(image(2, ['people', 'dog']), 'May be an image of 2 people and a dog.', { dog: DOG });
    assert.deepEqual(result.hits, ['2 people', 'a dog']);
    assert.equal(result.statedPeople, 2);
    assert.deepEqual(result.wrong, []);
    assert.equal(result.usefulAndCorrect, true);
  });

  it('when a drawing is called a painting or a map, then the kind is the hit, not a concept claimed', () => {
    const drawing = { ...image(0, ['coast']), kind: 'drawing' as const };
    assert.deepEqual(nameConcepts('A map.'), [{ text: 'A map', phrase: 'map', count: 1, frame: true }]);
    assert.deepEqual(score(drawing, 'A map.').hits, ['A map']);
    assert.deepEqual(score(drawing, 'A painting of a coast.', { coast: 'n09428293' }).hits, ['A painting of', 'a coast']);
    assert.deepEqual(score(drawing, 'A map.').wrong, []);
  });

  it('when five people are said to be one, then the count is a wrong claim', () => {
    const result = score(image(5, ['women'], ['person']), 'May be an image of a person.');
    assert.deepEqual(result.wrong, [{ reason: 'people_count', text: 'a person' }]);
    assert.equal(result.peopleMentioned, true);
  });

  it('when a person is named on a photo of a mask, then it is people where there are none', () => {
    assert.deepEqual(score(image(0, ['mask']), 'May be an image of a person.').wrong, [{ reason: 'people_absent', text: 'a person' }]);
  });

  it('when a dog is said as "an animal", then the true broader concept is vague, neither a hit nor a wrong claim', () => {
    const namedIds = (phrase: string) => ({ dog: [DOG], animal: [WORDNET.animal] })[phrase] ?? [];
    const result = scoreAltText(image(0, ['dog']), { altText: 'May be an animal.', ids: new Map() }, isUnder, namedIds);
    assert.deepEqual(result.wrong, []);
    assert.deepEqual(result.hits, []);
    assert.equal(result.usefulAndCorrect, false);
    const wrongNoun = scoreAltText(image(0, ['animal']), { altText: 'May be a dog.', ids: new Map() }, isUnder, namedIds);
    assert.deepEqual(wrongNoun.wrong, [{ reason: 'concept', text: 'a dog' }], 'a narrower concept than the label is still wrong');
  });

  it('when the fallback is said for an image with a clear subject, then it is a fallback and not useful, yet not wrong', () => {
    const result = score(image(0, ['cat']), 'An image.');
    assert.equal(result.fallback, true);
    assert.equal(result.usefulAndCorrect, false);
    assert.deepEqual(result.wrong, []);
  });

  it('when a true but vague concept is said, then it is neither a hit nor a wrong claim', () => {
    const result = score(image(0, ['brick wall'], [], ['artifact']), 'May be an artifact.');
    assert.deepEqual([result.hits, result.wrong, result.usefulAndCorrect], [[], [], false]);
  });

  it('when plurals differ from the label terms, then words are matched singular', () => {
    assert.deepEqual(score(image(0, ['bus']), 'May be an image of 2 buses.').hits, ['2 buses']);
  });

  it('when a count disagrees with its noun, then the sentence is ungrammatical', () => {
    assert.deepEqual(score(image(0, ['dog']), 'May be an image of 2 dog.').grammar, ['singular after a number: "2 dog"']);
    assert.deepEqual(score(image(0, ['dog']), 'May be dog.').grammar, ['no article before a count noun: "dog"']);
  });
});

describe('the dev set', () => {
  const images = loadDevSet();

  it('has at least 100 labelled images, 25 of them with people, of every kind every deployment says (paintings, maps and diagrams are labelled by those)', () => {
    assert.ok(images.length >= 100, `${images.length} images`);
    assert.ok(images.filter((i) => i.people !== 0).length >= 25);
    assert.deepEqual(new Set(images.map((i) => i.kind)), new Set(BASE_KINDS));
    for (const i of images) assert.ok(i.subjects.length > 0 && i.note && i.source.licence, i.file);
  });

  // Bounds, never exact figures: the measured value with a margin of about three images either way (CPU float noise can
  // move a label across the precision target). Measured 2026-12-02 on this 2-core machine, 125 images, the default detector
  // (nanodet-coco-288) and OCR (OCR_MODE=auto): 77 useful, 30/32 people mentioned, 23/27 exact, 15 wrong, 33 fallbacks,
  // 0 ungrammatical; see docs/alt-text-quality.md. The detector-off bounds guard DETECTOR_ENABLED=false.
  const DETECTOR_ON = {
    useful: 0.58,
    peopleMentioned: 0.84,
    exactCount: 0.74,
    wrong: 0.15,
    personAsThing: 0.03,
    peopleAbsent: 0.03,
    fallbacks: 0.29,
    ungrammatical: 0.02,
  };
  const DETECTOR_OFF = {
    useful: 0.11,
    peopleMentioned: 0,
    exactCount: 0,
    wrong: 0.13,
    personAsThing: 0.25,
    peopleAbsent: 0.02,
    fallbacks: 0.75,
    ungrammatical: 0.03,
  };
  /** Dev-set images that textset/real.json transcribes legible text for (read by hand): each alt-text must say there is text. */
  const withLegibleText = new Set(
    loadRealSet()
      .filter((r) => r.text.lines.length > 0)
      .map((r) => resolveImage(r.file)),
  );

  it('with the default config, the alt-text quality stays within the measured bounds', { timeout: 600_000 }, async () => {
    const bounds = loadConfig({}).detector.enabled ? DETECTOR_ON : DETECTOR_OFF;
    const report = await evaluateDevSet({}, images);
    const t: Tally = report.overall;
    const table = formatReport(report);
    assert.ok(t.useful / t.images >= bounds.useful, table);
    assert.ok(t.peopleMentioned / t.withPeople >= bounds.peopleMentioned, table);
    assert.ok(t.exactCount / t.countable >= bounds.exactCount, table);
    assert.ok(t.wrong / t.images <= bounds.wrong, table);
    assert.ok(t.reasons.person_as_thing / t.withPeople <= bounds.personAsThing, table);
    assert.ok(t.reasons.people_absent / t.images <= bounds.peopleAbsent, table);
    assert.ok(t.fallbacks / t.images <= bounds.fallbacks, table);
    assert.ok(t.ungrammatical / t.images <= bounds.ungrammatical, table);
    if (loadConfig({}).ocr.mode === 'off') return;
    // No chart, diagram or screenshot is called a photo (issue 11's bar; measured: none of the 27).
    const graphics = report.results.filter((r) => r.kind === 'chart' || r.kind === 'screenshot');
    assert.ok(graphics.length >= 20, `${graphics.length} charts and screenshots`);
    assert.deepEqual(
      graphics.filter((r) => r.answeredKind === 'photo').map((r) => r.file),
      [],
      'charts and screenshots called a photo',
    );
    const legible = report.results.filter((r) => withLegibleText.has(resolveImage(r.file)));
    assert.ok(legible.length >= 10, `${legible.length} dev-set images with transcribed text`);
    const silent = legible.filter((r) => !/\btext\b/.test(r.altText));
    assert.deepEqual(
      silent.map((r) => `${r.file}: ${r.altText}`),
      [],
      'images with legible text whose alt-text does not mention it',
    );
  });
});
