import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sceneFacts } from '../../src/caption/describe-scene.js';
import { composeCaption, grammarOf } from '../../src/caption/compose-caption.js';
import type { ImageKind } from '../../src/caption/image-kind.js';
import { peoplePhrase } from '../../src/caption/languages/pack-grammar.js';
import { acceptedRanges, lookupLanguage, negotiateLanguage } from '../../src/caption/languages/negotiate.js';
import { CAPTION_LANGUAGES, conceptName, LANGUAGE_PACKS, type LanguagePack } from '../../src/caption/languages/packs.js';
import { sayAnalysis } from '../../src/caption/caption-image.js';
import { SCENES } from '../../src/caption/place-scene.js';

const PERSON = 'n00007846';
const DOG = 'n02084071';
const CAR = 'n02958343';
const box = (x: number) => ({ x, y: 0.3, width: 0.2, height: 0.4 });
const det = (id: string, name: string, x: number) => ({ id, name, classIndex: 0, score: 0.8, box: box(x) });
const root = { id: 'n00001740', name: 'entity', score: 1, path: ['n00001740'], isRoot: true };
const cat = { id: 'n02121808', name: 'domestic cat', score: 0.93, path: ['n00001740', 'n02121808'], isRoot: false };
const fox = { id: 'n02356798', name: 'fox squirrel', score: 0.6, path: ['n00001740', 'n02355227', 'n02356798'], isRoot: false };

const pack = (lang: string): LanguagePack => LANGUAGE_PACKS.get(lang)!;
const twoPeopleAndDog = sceneFacts([det(PERSON, 'person', 0.1), det(PERSON, 'person', 0.5), det(DOG, 'dog', 0.7)], root);
const say = (lang: string, facts = twoPeopleAndDog, kind: ImageKind = 'photo', text = '') =>
  composeCaption(facts, kind, text, grammarOf(lang)).alt_text;

describe('alt-text in other languages', () => {
  const expected: Record<string, [string, string]> = {
    fr: ['Peut-être une image de : 2 personnes, chien.', 'Probablement une image de : chat.'],
    it: ["Potrebbe essere un'immagine di: 2 persone, cane.", "Probabilmente un'immagine di: gatto."],
    pt: ['Pode ser uma imagem de: 2 pessoas, cão.', 'Provavelmente uma imagem de: gato.'],
    nl: ['Mogelijk een afbeelding van: 2 personen, hond.', 'Waarschijnlijk een afbeelding van: kat.'],
    pl: ['Może to być obraz: 2 osoby, pies.', 'Prawdopodobnie obraz: kot.'],
    zh: ['可能是图像：2个人、狗。', '很可能是图像：猫。'],
    ca: ['Pot ser una imatge de: 2 persones, gos.', 'Probablement una imatge de: gat.'],
    de: ['Möglicherweise ein Bild von: 2 Personen, Hund.', 'Wahrscheinlich ein Bild von: Katze.'],
    es: ['Puede ser una imagen de: 2 personas, perro.', 'Probablemente una imagen de: gato.'],
    ru: ['Возможно, изображение: 2 человека, собака.', 'Вероятно, изображение: кошка.'],
    ko: ['다음이 포함된 이미지일 수 있음: 사람 2명, 개.', '다음이 포함된 이미지일 가능성이 높음: 고양이.'],
    tr: ['Şunları içeren bir görsel olabilir: 2 kişi, köpek.', 'Büyük olasılıkla şunları içeren bir görsel: kedi.'],
  };
  for (const [lang, [people, label]] of Object.entries(expected)) {
    it(`in ${lang}, people and a dog are a list, and a certain cat is "probably"`, () => {
      assert.equal(say(lang), people);
      assert.equal(say(lang, sceneFacts([], cat)), label);
    });
  }

  it('when nothing is known, then each language says its plain "An image."', () => {
    assert.equal(say('fr', sceneFacts([], root)), 'Une image.');
    assert.equal(say('de', sceneFacts([], root)), 'Ein Bild.');
  });

  it('people are counted by CLDR plural rules: 1 osoba, 2 osoby, 5 osób; 1 человек, 3 человека, 5 человек', () => {
    assert.deepEqual(
      [1, 2, 5].map((n) => peoplePhrase(pack('pl'), n)),
      ['1 osoba', '2 osoby', '5 osób'],
    );
    assert.deepEqual(
      [1, 3, 5].map((n) => peoplePhrase(pack('ru'), n)),
      ['1 человек', '3 человека', '5 человек'],
    );
    assert.equal(peoplePhrase(pack('fr'), 9), 'un groupe de personnes');
  });

  it('when a language has no name for a concept, then it borrows its nearest named ancestor, never the English', () => {
    assert.equal(pack('de').names[fox.id], undefined);
    assert.equal(say('de', sceneFacts([], fox)), 'Möglicherweise ein Bild von: Eichhörnchen.');
    assert.equal(say('fr', sceneFacts([], fox)), 'Peut-être une image de : écureuil.');
  });

  it('the text read is quoted as read, and a kind leads', () => {
    assert.equal(say('fr', sceneFacts([], root), 'screenshot', 'Hello world'), "Une capture d'écran, texte : 'Hello world'.");
    assert.equal(
      say('es', sceneFacts([det(CAR, 'car', 0.4), det(CAR, 'car', 0.6)], root), 'photo', 'STOP'),
      "Puede ser una imagen de: coche, texto: 'STOP'.", // two cars: an object's count is not said (EXACT_OBJECTS_UP_TO)
    );
    assert.equal(say('zh', sceneFacts([], cat), 'drawing'), '一幅绘画，可能是：猫。');
    const long = say('it', sceneFacts([], root), 'document', 'word '.repeat(60));
    assert.ok(long.length <= 124 && long.startsWith("Un documento, testo: 'word word") && long.endsWith("…'."), long);
  });

  it('English is composed by the English modules, unchanged', () => {
    const analysis = { facts: twoPeopleAndDog, kind: 'photo' as const, content: '' };
    assert.equal(sayAnalysis(analysis as never).alt_text, 'May be an image of 2 people and a dog.');
    assert.equal(sayAnalysis(analysis as never, 'fr').alt_text, 'Peut-être une image de : 2 personnes, chien.');
  });
});

describe('language packs', () => {
  const model = JSON.parse(readFileSync(new URL('../../models/efficientnet-lite0/model.json', import.meta.url), 'utf8'));
  const detector = JSON.parse(readFileSync(new URL('../../models/nanodet-coco-288/model.json', import.meta.url), 'utf8'));
  const detected: string[] = detector.classes.map((c: { id: string }) => c.id);
  it('at least 8 languages besides English, each with its sources and licences', () => {
    assert.ok(LANGUAGE_PACKS.size >= 8);
    for (const p of LANGUAGE_PACKS.values()) assert.ok(p.sources.length > 0 && p.sources.every((s) => s.licence && s.name), p.lang);
  });
  it('every detector class, hierarchy node and scene with a name in a pack names a concept the service can say', () => {
    const known = new Set([...model.hierarchy.nodes.map((n: { id: string }) => n.id), ...detected, ...SCENES.map((s) => s.id)]);
    for (const p of LANGUAGE_PACKS.values()) for (const id of Object.keys(p.names)) assert.ok(known.has(id), `${p.lang} ${id}`);
  });
  it('every detector class has a name, its own or borrowed, in every language', () => {
    for (const p of LANGUAGE_PACKS.values())
      for (const id of detected.filter((d) => d !== PERSON)) assert.ok(conceptName(p, id), `${p.lang} ${id}`);
  });
});

describe('language negotiation', () => {
  it('RFC 4647 lookup truncates the range: fr-CA finds fr, zh-Hans-CN finds zh, en-a-bbb finds en', () => {
    assert.equal(lookupLanguage('fr-CA'), 'fr');
    assert.equal(lookupLanguage('zh-Hans-CN'), 'zh');
    assert.equal(lookupLanguage('en-a-bbb'), 'en');
    assert.equal(lookupLanguage('sv'), undefined);
  });
  it('Accept-Language ranges are tried by descending q; q=0 is refused', () => {
    assert.deepEqual(acceptedRanges('da, en-GB;q=0.8, de;q=0.9, fr;q=0'), ['da', 'de', 'en-GB']);
    assert.equal(negotiateLanguage(undefined, 'da, en-GB;q=0.8, de;q=0.9'), 'de');
  });
  it('an explicit lang wins over the header, and a language not offered gets English', () => {
    assert.equal(negotiateLanguage('pt-BR', 'de'), 'pt');
    assert.equal(negotiateLanguage('sv', 'de'), 'en');
    assert.equal(negotiateLanguage(undefined, 'sv, *'), 'en');
    assert.equal(negotiateLanguage(undefined, undefined), 'en');
    assert.equal(CAPTION_LANGUAGES[0], 'en');
  });
});
