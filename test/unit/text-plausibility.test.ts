/** What is quoted of the lines read: symbols, script, a sure anchor, and for scene text the English share (text-plausibility.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dictionaryShare, isEnglishWord, isFragment, isJunkRegion, plausibleLines, scriptOf } from '../../src/models/text-plausibility.js';

const line = (text: string, score = 0.95) => ({ text, score });
const texts = (lines: readonly { text: string }[]) => lines.map((l) => l.text);

describe('plausible lines', () => {
  it('when the only thing read is one short token, then nothing is quoted, however sure', () => {
    assert.deepEqual(plausibleLines([line('0', 0.99)], false), []);
    assert.deepEqual(plausibleLines([line('IG', 0.97)], false), []);
    assert.deepEqual(plausibleLines([line('贝', 0.99)], false), []);
  });

  it("when a sure word anchors the image, then short lines beside it are kept (a chart's tick labels)", () => {
    // Tick labels read at 0.98-1.0 on the tuning charts; a lone number below numberScore is an icon (see the junk tests).
    assert.deepEqual(texts(plausibleLines([line('Sales by year', 0.9), line('0', 0.99), line('10', 0.98)], false)), [
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

describe('junk read from icons and graphics', () => {
  it("when icons are read beside a sure word, then the unsure fragments go and the word stays (a tool palette's 'x =e A D')", () => {
    const read = [line('Toolbox', 0.98), line('x', 0.69), line('=e', 0.62), line('A', 0.76), line('D', 0.52), line('- x', 0.64)];
    assert.deepEqual(texts(plausibleLines(read, false)), ['Toolbox']);
  });

  it("when a short word, a letter or a number is read surely, then it is kept (a dialog's OK, R 255, a tick label)", () => {
    const read = [
      line('Select a workspace'),
      line('OK', 0.99),
      line('R', 1),
      line('255', 1),
      line('0', 1),
      line('x', 0.95),
      line('I', 0.6),
    ];
    assert.deepEqual(texts(plausibleLines(read, false)), ['Select a workspace', 'OK', 'R', '255', '0', 'x', 'I']);
  });

  it('when a number stands alone, then it needs less certainty than a letter, but not none (a dropdown arrow read as "1")', () => {
    const read = [
      line('Quality: High'),
      line('50 %', 0.85),
      line('89', 0.8),
      line('=1.5', 0.8),
      line("40'", 0.88),
      line('1', 0.51),
      line('4', 0.65),
    ];
    assert.deepEqual(texts(plausibleLines(read, false)), ['Quality: High', '50 %', '89', '=1.5', "40'"]);
  });

  it('when a line holds words beside a fragment, then it is kept whole; when it is mostly fragments, it goes', () => {
    assert.equal(isJunkRegion(line('Workspace Launcher x', 0.6)), false);
    assert.equal(isJunkRegion(line('i Guild d d', 0.58)), true);
    assert.equal(isJunkRegion(line('i Guild d d', 0.95)), false);
  });

  it('when a CJK line holds single characters, then they are not fragments', () => {
    assert.deepEqual(texts(plausibleLines([line('中文 字', 0.7), line('图像采集区域')], false)), ['中文 字', '图像采集区域']);
    assert.equal(isFragment('字'), false);
  });

  it('when a circled digit marks an icon, then it is stripped and the word beside it kept', () => {
    assert.deepEqual(texts(plausibleLines([line('① Balanced'), line('⑤ GraphModel')], false)), ['Balanced', 'GraphModel']);
  });

  it('then fragments are short non-words and punctuation; words, numbers and longer tokens are not', () => {
    assert.deepEqual(['x', 'V', '=e', '4×', '-', 'tf', 'a', 'OK', 'to', '12', '-0.5', '3.0 MB', 'Win', 'A'].map(isFragment), [
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
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
