import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeAltText, FALLBACK_ALT_TEXT, indefiniteArticle } from '../../src/caption/compose-alt-text.js';

const label = (name: string, score: number, id = 'n02123045') => ({ id, name, score, isRoot: false });

describe('indefiniteArticle', () => {
  const cases: [string, 'a' | 'an'][] = [
    ['tabby cat', 'a'],
    ['Egyptian cat', 'an'],
    ['honeycomb', 'a'],
    ['hour hand', 'an'],
    ['honest broker', 'an'],
    ['unicorn', 'a'],
    ['umbrella', 'an'],
    ['uniform', 'a'],
    ['European fire salamander', 'a'],
    ['one-armed bandit', 'a'],
    ['orange', 'an'],
    ['ukulele', 'a'],
    ['espresso maker', 'an'],
  ];
  for (const [phrase, article] of cases) {
    it(`when the phrase is "${phrase}", then the article is "${article}"`, () => {
      assert.equal(indefiniteArticle(phrase), article);
    });
  }
});

describe('composeAltText', () => {
  it('when the hedged label is uncertain, then the sentence says "May be"', () => {
    assert.equal(composeAltText(label('tabby cat', 0.62)), 'May be a tabby cat.');
  });

  it('when the label is a mass noun, then it takes no article ("May be clothing.", never "a clothing")', () => {
    assert.equal(composeAltText(label('clothing', 0.7)), 'May be clothing.');
    assert.equal(composeAltText(label('electronic equipment', 0.95)), 'Probably electronic equipment.');
  });

  it('when the hedged label is very likely, then the sentence says "Probably"', () => {
    assert.equal(composeAltText(label('espresso', 0.95)), 'Probably an espresso.');
  });

  it('when the label is the root, then the plain fallback is used', () => {
    assert.equal(composeAltText({ ...label('entity', 1, 'n00001740'), isRoot: true }), FALLBACK_ALT_TEXT);
  });

  it('when the label is too abstract to be useful, then the plain fallback is used', () => {
    assert.equal(composeAltText(label('device', 0.9, 'n03183080')), FALLBACK_ALT_TEXT);
    assert.equal(composeAltText(label('whole', 0.9, 'n00003553'), new Set(['n00003553'])), FALLBACK_ALT_TEXT);
  });

  it('when the name is very long, then the sentence stays under 125 characters and ends cleanly', () => {
    const text = composeAltText(label(`${'very '.repeat(60)}long name`, 0.5));
    assert.ok(text.length < 125, `${text.length} chars`);
    assert.match(text, /^May be a (very )+very\.$/);
  });

  it('never says "image of"', () => {
    for (const name of ['image', 'picture frame', 'cat']) assert.doesNotMatch(composeAltText(label(name, 0.5)), /image of/i);
  });
});
