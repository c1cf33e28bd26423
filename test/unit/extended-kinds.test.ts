import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { composeCaption, grammarOf } from '../../src/caption/compose-caption.js';
import { sceneFacts } from '../../src/caption/describe-scene.js';
import { apiKind, BASE_KINDS, FOLDED_KINDS } from '../../src/caption/fold-kind.js';
import { IMAGE_KINDS, type ImageKind } from '../../src/caption/image-kind.js';
import { CAPTION_LANGUAGES, LANGUAGE_PACKS } from '../../src/caption/languages/packs.js';
import { loadConfig } from '../../src/config.js';
import { projectPath } from '../../src/project-root.js';

const root = { id: 'n00001740', name: 'entity', score: 1, path: ['n00001740'], isRoot: true };
const cat = { id: 'n02121808', name: 'domestic cat', score: 0.93, path: ['n00001740', 'n02121808'], isRoot: false };
const nothing = sceneFacts([], root);
const coast = sceneFacts([], root, undefined, { id: 'n09428293', score: 0.8, best: 'n09428293' });
const say = (lang: string, facts: typeof nothing, kind: ImageKind, text = '') =>
  composeCaption(facts, kind, text, grammarOf(lang)).alt_text;

describe('the kinds painting, map and diagram', () => {
  it('when KINDS_EXTENDED is off, then painting and map are said as drawing and diagram as chart; the five pass unchanged', () => {
    assert.deepEqual(
      IMAGE_KINDS.map((kind) => apiKind(kind, false)),
      ['photo', 'screenshot', 'document', 'chart', 'drawing', 'drawing', 'drawing', 'chart'],
    );
  });

  it('when KINDS_EXTENDED is on, then every kind is said as the detector answered it', () => {
    for (const kind of IMAGE_KINDS) assert.equal(apiKind(kind, true), kind);
  });

  it('when the flag is not set, then it is off, and the five kinds every deployment says are the first five', () => {
    assert.equal(loadConfig({}).kindsExtended, false);
    assert.equal(loadConfig({ IMGSENSE_KINDS_EXTENDED: 'true' }).kindsExtended, true);
    assert.deepEqual(BASE_KINDS, ['photo', 'screenshot', 'document', 'chart', 'drawing']);
    assert.deepEqual(Object.keys(FOLDED_KINDS), ['painting', 'map', 'diagram']);
  });

  it("when openapi.yaml lists the response's kinds, then they are exactly the composer's eight", () => {
    const spec = parse(readFileSync(projectPath('openapi.yaml'), 'utf8'));
    assert.deepEqual(spec.components.schemas.CaptionResponse.properties.kind.enum, [...IMAGE_KINDS]);
  });

  // [alone, a painting of a coast, a painting of what may be a cat, a map with text, a diagram with text]
  const expected: Record<string, readonly string[]> = {
    en: [
      'A painting.',
      'A painting of a coast.',
      'A painting of what may be a domestic cat.',
      "A map with text that says 'Rue de la Paix'.",
      "A diagram with text that says 'Start'.",
    ],
    ca: [
      'Una pintura.',
      'Una pintura, lloc: costa.',
      'Una pintura, potser: gat.',
      "Un mapa, text: 'Rue de la Paix'.",
      "Un diagrama, text: 'Start'.",
    ],
    de: [
      'Ein Gemälde.',
      'Ein Gemälde, Ort: Küste.',
      'Ein Gemälde, möglicherweise: Katze.',
      "Eine Karte, Text: 'Rue de la Paix'.",
      "Ein Schema, Text: 'Start'.",
    ],
    es: [
      'Una pintura.',
      'Una pintura, lugar: costa.',
      'Una pintura, quizá: gato.',
      "Un mapa, texto: 'Rue de la Paix'.",
      "Un diagrama, texto: 'Start'.",
    ],
    fr: [
      'Une peinture.',
      'Une peinture, lieu : côte.',
      'Une peinture, peut-être : chat.',
      "Une carte, texte : 'Rue de la Paix'.",
      "Un diagramme, texte : 'Start'.",
    ],
    it: [
      'Un dipinto.',
      'Un dipinto, luogo: riva.',
      'Un dipinto, forse: gatto.',
      "Una mappa, testo: 'Rue de la Paix'.",
      "Un diagramma, testo: 'Start'.",
    ],
    ko: [
      '회화 작품.',
      '회화 작품, 장소: 연안.',
      '회화 작품, 다음일 수 있음: 고양이.',
      "지도, 텍스트: 'Rue de la Paix'.",
      "다이어그램, 텍스트: 'Start'.",
    ],
    nl: [
      'Een schilderij.',
      'Een schilderij, plaats: kust.',
      'Een schilderij, mogelijk: kat.',
      "Een kaart, tekst: 'Rue de la Paix'.",
      "Een diagram, tekst: 'Start'.",
    ],
    pl: [
      'Obraz malarski.',
      'Obraz malarski, miejsce: wybrzeże.',
      'Obraz malarski, być może: kot.',
      "Mapa, tekst: 'Rue de la Paix'.",
      "Diagram, tekst: 'Start'.",
    ],
    pt: [
      'Uma pintura.',
      'Uma pintura, local: costa.',
      'Uma pintura, talvez: gato.',
      "Um mapa, texto: 'Rue de la Paix'.",
      "Um diagrama, texto: 'Start'.",
    ],
    ru: [
      'Картина.',
      'Картина, место: морской берег.',
      'Картина, возможно: кошка.',
      "Карта, текст: 'Rue de la Paix'.",
      "Схема, текст: 'Start'.",
    ],
    tr: [
      'Bir tablo.',
      'Bir tablo, yer: deniz kıyısı.',
      'Bir tablo, olasılıkla: kedi.',
      "Bir harita, metin: 'Rue de la Paix'.",
      "Bir diyagram, metin: 'Start'.",
    ],
    zh: [
      '一幅画作。',
      '一幅画作，地点：岸。',
      '一幅画作，可能是：猫。',
      "一张地图，文字：'Rue de la Paix'。",
      "一张示意图，文字：'Start'。",
    ],
  };

  it('every caption language has its wording here', () => {
    assert.deepEqual(Object.keys(expected).sort(), [...CAPTION_LANGUAGES].sort());
  });

  for (const [lang, [alone, ofCoast, ofCat, map, diagram]] of Object.entries(expected)) {
    it(`in ${lang}, a painting says the place it shows or what it may show, a map and a diagram their text`, () => {
      assert.equal(say(lang, nothing, 'painting'), alone);
      assert.equal(say(lang, coast, 'painting'), ofCoast);
      assert.equal(say(lang, sceneFacts([], cat), 'painting'), ofCat);
      assert.equal(say(lang, nothing, 'map', 'Rue de la Paix'), map);
      assert.equal(say(lang, nothing, 'diagram', 'Start'), diagram);
    });
  }

  it('in every pack, the eight kinds have eight different phrases (a diagram is not said as a chart, a painting not as the fallback)', () => {
    for (const pack of LANGUAGE_PACKS.values()) {
      const phrases = Object.values(pack.kinds);
      assert.equal(new Set([...phrases, pack.fallback.slice(0, -1)]).size, phrases.length + 1, pack.lang);
    }
  });

  it('a drawing still says what it may show, and a painting with text after its place keeps both within the budget', () => {
    assert.equal(say('en', sceneFacts([], cat), 'drawing'), 'A drawing of what may be a domestic cat.');
    assert.equal(say('en', coast, 'painting', 'Vincent'), "A painting of a coast, with text that says 'Vincent'.");
    assert.equal(say('fr', coast, 'painting', 'Vincent'), "Une peinture, lieu : côte, texte : 'Vincent'.");
    const long = say('en', coast, 'painting', 'word '.repeat(60));
    assert.ok(long.length <= 124 && long.startsWith("A painting of a coast, with text that says 'word"), long);
  });
});
