/** What is quoted of the lines read: symbols, script, a sure anchor, and for scene text the English share (text-plausibility.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dictionaryShare, isEnglishWord, plausibleLines, scriptOf } from '../../src/models/text-plausibility.js';

const line = (text: string, score = 0.95) => ({ text, score });
const texts = (lines: readonly { text: string }[]) => lines.map((l) => l.text);

describe('plausible lines', () => {
  it('when the only thing read is one short token, then nothing is quoted, however sure', () => {
    assert.deepEqual(plausibleLines([line('0', 0.99)], false), []);
    assert.deepEqual(plausibleLines([line('IG', 0.97)], false), []);
    assert.deepEqual(plausibleLines([line('贝', 0.99)], false), []);
  });

  it("when a sure word anchors the image, then short lines beside it are kept (a chart's tick labels)", () => {
    assert.deepEqual(texts(plausibleLines([line('Sales by year', 0.9), line('0', 0.7), line('10', 0.75)], false)), [
      'Sales by year',
      '0',
      '10',
    ]);
  });

  it('when no line is sure enough to anchor, then nothing is quoted', () => {
    assert.deepEqual(plausibleLines([line('Sales by year', 0.79), line('2024', 0.7)], false), []);
  });

  it('when a two-character Chinese word is read, then it is a word; one ideograph is not', () => {
    assert.deepEqual(texts(plausibleLines([line('中国')], false)), ['中国']);
  });

  it('when a line is in another script than most of the letters, then it is dropped', () => {
    assert.deepEqual(texts(plausibleLines([line('Open the file menu'), line('贝'), line('Save as')], false)), [
      'Open the file menu',
      'Save as',
    ]);
    assert.deepEqual(texts(plausibleLines([line('图像采集区域'), line('日本語のテキスト')], false)), ['图像采集区域', '日本語のテキスト']);
  });

  it('when a line holds pictographs or box drawing, then they are stripped and a line of nothing else is dropped', () => {
    assert.deepEqual(texts(plausibleLines([line('Settings ⚙'), line('◆▲')], false)), ['Settings']);
  });

  it('when the text is scene text, then each line must be sure and, where Latin, mostly English words', () => {
    const read = [line('STOP', 0.97), line('apnjubew pazewon', 0.97), line('Main Street', 0.8), line('Fresh bread daily', 0.9)];
    assert.deepEqual(texts(plausibleLines(read, true)), ['STOP', 'Fresh bread daily']);
    assert.deepEqual(texts(plausibleLines(read, false)), ['STOP', 'apnjubew pazewon', 'Main Street', 'Fresh bread daily']);
  });

  it('when numbers alone are scene text, then they need no dictionary (a meter with its unit)', () => {
    assert.deepEqual(texts(plausibleLines([line('12.5 kWh', 0.93)], true)), ['12.5 kWh']);
  });
});

describe('scripts and words', () => {
  it('then a letter has its script, Han and kana are one, and digits have none', () => {
    assert.deepEqual(['a', 'é', '中', 'の', '한', 'Ж', 'λ', '7', '-'].map(scriptOf), [
      'latin',
      'latin',
      'cjk',
      'cjk',
      'hangul',
      'cyrillic',
      'greek',
      undefined,
      undefined,
    ]);
  });

  it('then regular endings of English words are words, and gibberish is not', () => {
    assert.deepEqual(['stars', 'parked', 'opening', 'cities', 'the', 'apnjubew'].map(isEnglishWord), [true, true, true, true, true, false]);
  });

  it('then the share counts Latin words of four letters or more, and is undefined without any', () => {
    assert.equal(dictionaryShare('open the door apnjubew pazewon'), 0.5);
    assert.equal(dictionaryShare('12 34 kWh ok'), undefined);
  });
});
