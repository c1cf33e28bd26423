import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALT_TEXT_MAX_CHARS } from '../../src/caption/compose-alt-text.js';
import { composeCaption, grammarOf } from '../../src/caption/compose-caption.js';
import type { SceneFacts } from '../../src/caption/describe-scene.js';
import { IMAGE_KINDS } from '../../src/caption/image-kind.js';
import { ENGLISH_GRAMMAR } from '../../src/caption/languages/english.js';
import { CAPTION_LANGUAGES } from '../../src/caption/languages/packs.js';

const at = { x: 0.6, y: 0.1, width: 0.3, height: 0.3 };
const DOG = 'n02084071';
const scene: SceneFacts = { form: 'list', people: 2, peopleAt: at, objects: [{ id: DOG, name: 'dog', count: 1, at }] };
const sign = Array.from({ length: 30 }, (_, i) => `Platform ${i} for trains to the coast`).join('\n');

describe('composeCaption', () => {
  it("when English is asked, then its grammar is the one composer's, as every pack's is", () => {
    assert.equal(grammarOf('en'), ENGLISH_GRAMMAR);
    assert.equal(grammarOf('xx'), ENGLISH_GRAMMAR);
    assert.notEqual(grammarOf('fr'), ENGLISH_GRAMMAR);
  });

  for (const lang of CAPTION_LANGUAGES) {
    it(`when a long text is read (${lang}), then every kind's alt-text stays within the budget and quotes the text as read, cut at a word`, () => {
      for (const kind of IMAGE_KINDS) {
        const said = composeCaption(scene, kind, sign, grammarOf(lang));
        assert.ok(said.alt_text.length <= ALT_TEXT_MAX_CHARS, `${kind}: ${said.alt_text}`);
        const quote = /'([^']*)…'/.exec(said.alt_text)?.[1];
        assert.ok(quote && sign.replace(/\n/g, ' ').startsWith(quote), `${kind}: ${said.alt_text}`);
        assert.ok(said.description.includes(sign.split('\n').join(' / ')), `${kind}: the description quotes all of it`);
      }
    });
  }

  it('when a photo has people, a dog and text, then English counts, articles and lists them, and says where in the description', () => {
    const said = composeCaption(scene, 'photo', 'EXIT', ENGLISH_GRAMMAR);
    assert.equal(said.alt_text, "May be an image of 2 people, a dog and text that says 'EXIT'.");
    assert.equal(said.description, "May be an image of 2 people at the top right and a dog at the top right. The text says: 'EXIT'.");
  });
});
