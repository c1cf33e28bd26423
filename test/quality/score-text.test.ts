import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  RENDERED_MANIFEST,
  loadRealSet,
  resolveImage,
  type RealImage,
  type RenderedImage,
  type RenderedManifest,
} from '../../textset/load-text-set.js';
import { CAP_HEIGHTS, renderSpecs } from '../../textset/rendered-specs.js';
import {
  IMAGE_KINDS,
  commonSubsequenceLength,
  commonWordCount,
  junkTokens,
  kindConfusion,
  levenshtein,
  normaliseText,
  scoreText,
  summariseBy,
  summariseText,
  words,
  type ImageKind,
  type TextScore,
} from '../../textset/score-text.js';
import { reportTextSets } from '../../textset/text-report.js';

const ocr = (content: string, lines: string[] = []) => ({ content, lines: lines.map((text) => ({ text })) });

describe('text scoring primitives', () => {
  it('when two strings differ, then the distance counts insertions, deletions and substitutions', () => {
    assert.equal(levenshtein('kitten', 'sitting'), 3);
    assert.equal(levenshtein('', 'abc'), 3);
    assert.equal(levenshtein('abc', ''), 3);
    assert.equal(levenshtein('café', 'cafe'), 1);
    assert.equal(levenshtein(['a', 'b', 'c'], ['a', 'c']), 1);
  });

  it('when text has runs of spaces and newlines, then they become one space and the case is kept', () => {
    assert.equal(normaliseText('  Happy\n\n birthday\tAnna '), 'Happy birthday Anna');
  });

  it('when text has punctuation, then words are the runs of letters and digits', () => {
    assert.deepEqual(words('Total: $18.75'), ['Total', '18', '75']);
    assert.deepEqual(words('https://example.org/menu'), ['https', 'example', 'org', 'menu']);
    assert.deepEqual(words('...'), []);
  });

  it('when word lists share words in order, then the common subsequence counts them', () => {
    assert.equal(commonSubsequenceLength(['a', 'b', 'c', 'd'], ['b', 'x', 'd']), 2);
    assert.equal(commonSubsequenceLength(['a', 'b'], ['b', 'a']), 1);
  });

  it('when words are counted in any order, then each OCR word is used once', () => {
    assert.equal(commonWordCount(['a', 'b'], ['b', 'a']), 2);
    assert.equal(commonWordCount(['a', 'a', 'b'], ['a', 'c']), 1);
    assert.equal(commonWordCount(['a'], ['a', 'a']), 1);
  });
});

describe('scoreText', () => {
  it('when the OCR gets the case of one letter and one letter wrong, then 2 errors, 1 ignoring case', () => {
    const score = scoreText(['Happy birthday'], ocr('happy  birthdav'));
    assert.deepEqual(score, {
      truthChars: 14,
      ocrChars: 14,
      charErrors: 2,
      charErrorsIgnoringCase: 1,
      truthWords: 2,
      wordsCorrect: 0,
      wordsCorrectIgnoringCase: 1,
      wordsFound: 0,
      ocrTokens: 2,
      junkTokens: 1,
    });
  });

  it('when content is empty, then the lines are read in order, and line breaks count as one space', () => {
    const score = scoreText(['Closed on Sundays', 'Open 9 to 5'], ocr('', ['Closed on Sundays', 'Open 9 to 5']));
    assert.equal(score.truthChars, 29);
    assert.equal(score.charErrors, 0);
    assert.equal(score.truthWords, 7);
    assert.equal(score.wordsCorrect, 7);
  });

  it('when the OCR reads two boxes in the other order, then word accuracy counts one word and the any-order recall both', () => {
    const score = scoreText(['Find features', 'Blend'], ocr('Blend Find features'));
    assert.equal(score.truthWords, 3);
    assert.equal(score.wordsCorrect, 2);
    assert.equal(score.wordsFound, 3);
  });

  it('when the OCR adds a word, then the characters count as errors but every truth word is still correct', () => {
    const score = scoreText(['EXIT'], ocr('EXIT 2'));
    assert.equal(score.charErrors, 2);
    assert.equal(score.truthChars, 4);
    assert.equal(score.wordsCorrect, 1);
    assert.equal(score.truthWords, 1);
  });

  it('when the image has no text and the OCR reads none, then nothing counts', () => {
    assert.deepEqual(scoreText([], ocr('')), {
      truthChars: 0,
      ocrChars: 0,
      charErrors: 0,
      charErrorsIgnoringCase: 0,
      truthWords: 0,
      wordsCorrect: 0,
      wordsCorrectIgnoringCase: 0,
      wordsFound: 0,
      ocrTokens: 0,
      junkTokens: 0,
    });
  });
});

describe('junk tokens', () => {
  it("when icons are read beside a real word, then each token the truth lacks is junk (a tool palette's 'x =e 8 A')", () => {
    assert.deepEqual(junkTokens('Toolbox', 'Toolbox x =e 8 A D 4 1'), ['x', '=e', '8', 'A', 'D', '4', '1']);
  });

  it('when the OCR differs only in case or punctuation around a word, then the token is in the truth', () => {
    assert.deepEqual(junkTokens('Total: $18.75\nOK', 'total $18.75 ok,'), []);
  });

  it('when a token of symbols alone is in the truth, then it is not junk; when it is not, it is', () => {
    assert.deepEqual(junkTokens('a | b', 'a | b • »'), ['•', '»']);
  });

  it('when Chinese is read without spaces, then a run of the truth is in it and a stray ideograph is not', () => {
    assert.deepEqual(junkTokens('图像采集区域', '图像采集 区域 贝'), ['贝']);
  });

  it('when the image has no text, then every token read is junk', () => {
    assert.deepEqual(junkTokens('', '0 IG'), ['0', 'IG']);
  });
});

describe('summaries', () => {
  const birthday = scoreText(['Happy birthday'], ocr('happy birthdav'));
  const exit = scoreText(['EXIT'], ocr('EXIT 2'));
  const noText = scoreText([], ocr('ab'));

  it('when images are summed, then rates weigh every character and word alike, over the images with text', () => {
    const summary = summariseText([birthday, exit, noText]);
    assert.equal(summary.images, 3);
    assert.equal(summary.imagesWithText, 2);
    assert.equal(summary.truthChars, 18);
    assert.equal(summary.cer, 4 / 18);
    assert.equal(summary.cerIgnoringCase, 3 / 18);
    assert.equal(summary.wordAccuracy, 1 / 3);
    assert.equal(summary.wordAccuracyIgnoringCase, 2 / 3);
    assert.equal(summary.wordRecallAnyOrder, 1 / 3);
    assert.equal(summary.spuriousText, 1);
    assert.equal(summary.ocrTokens, 5);
    assert.equal(summary.junkTokens, 3);
    assert.equal(summary.imagesWithJunk, 3);
  });

  it('when no image has text, then the rates are NaN rather than a flattering 0', () => {
    assert.ok(Number.isNaN(summariseText([noText]).cer));
  });

  it('when scores are grouped by size, then each size has its own summary, smallest first', () => {
    const bySize = summariseBy<number>([
      { key: 24, score: birthday },
      { key: 12, score: exit },
      { key: 24, score: exit },
    ]);
    assert.deepEqual([...bySize.keys()], [12, 24]);
    assert.equal(bySize.get(12)!.cer, 2 / 4);
    assert.equal(bySize.get(24)!.cer, 4 / 18);
    assert.equal(bySize.get(24)!.images, 2);
  });

  it('when a score list is empty, then the summary says 0 images', () => {
    const empty: TextScore[] = [];
    assert.equal(summariseText(empty).images, 0);
  });
});

describe('kindConfusion', () => {
  const confusion = kindConfusion([
    { truth: 'screenshot', predicted: 'screenshot' },
    { truth: 'screenshot', predicted: 'photo' },
    { truth: 'chart', predicted: 'drawing' },
    { truth: 'graphic', predicted: 'drawing', acceptable: ['drawing', 'document'] },
    { truth: 'photo', predicted: 'photo' },
    { truth: 'photo', predicted: 'unknown' },
  ]);

  it('when kinds are judged, then rows are truth and columns predictions, known kinds first', () => {
    assert.deepEqual(confusion.truthKinds, ['photo', 'screenshot', 'chart', 'graphic']);
    assert.deepEqual(confusion.predictedKinds, ['photo', 'screenshot', 'drawing', 'unknown']);
    assert.deepEqual(confusion.counts, {
      photo: { photo: 1, screenshot: 0, drawing: 0, unknown: 1 },
      screenshot: { photo: 1, screenshot: 1, drawing: 0, unknown: 0 },
      chart: { photo: 0, screenshot: 0, drawing: 1, unknown: 0 },
      graphic: { photo: 0, screenshot: 0, drawing: 1, unknown: 0 },
    });
  });

  it('when a prediction is an acceptable answer, then it is accepted but not exact', () => {
    assert.equal(confusion.images, 6);
    assert.equal(confusion.exact, 2);
    assert.equal(confusion.accepted, 3);
  });

  it('when a screenshot is called a photo, then it is counted as called a photo', () => {
    assert.equal(confusion.calledPhoto, 1);
  });
});

describe('reportTextSets', () => {
  const renderedImage = (file: string, lines: string[], cap: number, fontClass: 'sans' | 'serif', style: string): RenderedImage => ({
    id: file,
    file,
    width: 100,
    height: 40,
    sha256: '',
    lines,
    font: { family: 'F', class: fontClass, package: 'p' },
    font_size_px: cap,
    cap_height_px: cap,
    style,
    foreground: '#000',
    background: '#fff',
    rotation_deg: 0,
    kind: 'graphic',
    acceptable_kinds: ['drawing'],
    clean: true,
  });
  const realImage = (file: string, kind: ImageKind, lines: string[], complete: boolean): RealImage => ({
    file,
    source: { registry: 'debian', package: 'p', version: '1', path: file, licence: 'MIT' },
    sha256: '',
    kind,
    text: { lines, complete },
    note: '',
  });
  const rendered = [
    renderedImage('a.png', ['EXIT'], 16, 'sans', 'dark-on-light'),
    renderedImage('b.png', ['No parking'], 12, 'serif', 'coloured'),
  ];
  const real = [
    realImage('/c.png', 'screenshot', ['Hello'], true),
    realImage('/d.png', 'photo', [], true),
    realImage('/e.png', 'document', ['Page one'], false),
  ];
  const results = new Map([
    ['a.png', { text: ocr('EXIT'), kind: 'drawing' }],
    ['b.png', { text: ocr('No parkinq'), kind: 'graphic' }],
    ['/c.png', { text: ocr('Hello'), kind: 'photo' }],
    ['/d.png', { text: ocr('x'), kind: 'photo' }],
    ['/e.png', { text: ocr('Page one and more'), kind: 'document' }],
  ]);

  it('when every image has a result, then the rendered figures are split by size, and the clean >= 16 px subset stands alone', () => {
    const report = reportTextSets(rendered, real, results);
    assert.equal(report.rendered.all.cer, 1 / 14);
    assert.equal(report.rendered.clean16.images, 1);
    assert.equal(report.rendered.clean16.cer, 0);
    assert.deepEqual([...report.rendered.bySize.keys()], [12, 16]);
    assert.equal(report.rendered.bySize.get(12)!.cer, 1 / 10);
    assert.deepEqual([...report.rendered.byFontClass.keys()], ['sans', 'serif']);
    assert.deepEqual(report.missing, []);
  });

  it('when a real image was transcribed in part, then it counts for words only, and text read on a blank photo is spurious', () => {
    const report = reportTextSets(rendered, real, results);
    assert.equal(report.real.complete.imagesWithText, 1);
    assert.equal(report.real.complete.cer, 0);
    assert.equal(report.real.complete.spuriousText, 1);
    assert.equal(report.real.partial.images, 1);
    assert.equal(report.real.partial.wordAccuracy, 1);
    assert.deepEqual([...report.real.byKind.keys()], ['document', 'screenshot']);
  });

  it('when every result has a kind, then the confusion covers both sets and counts the screenshot called a photo', () => {
    const kinds = reportTextSets(rendered, real, results).kinds!;
    assert.equal(kinds.images, 5);
    assert.equal(kinds.exact, 3);
    assert.equal(kinds.accepted, 4);
    assert.equal(kinds.calledPhoto, 1);
  });

  it('when an image has no result, then it is listed as missing and no kind confusion is given', () => {
    const partial = new Map([...results].filter(([file]) => file !== 'b.png'));
    const report = reportTextSets(rendered, real, partial);
    assert.deepEqual(report.missing, ['b.png']);
    assert.equal(report.kinds, undefined);
  });
});

describe('the text sets as committed', () => {
  const manifest = JSON.parse(readFileSync(resolveImage(RENDERED_MANIFEST), 'utf8')) as RenderedManifest;

  it('when the manifest is read, then it holds the 60 specs with their text, and every cap height has sans, serif and mono', () => {
    const specs = renderSpecs();
    assert.equal(manifest.images.length, 60);
    assert.deepEqual(
      manifest.images.map((image) => [image.id, image.lines]),
      specs.map((spec) => [spec.id, spec.lines]),
    );
    for (const size of CAP_HEIGHTS) {
      const classes = new Set(
        manifest.images.filter((image) => image.clean && image.cap_height_px === size).map((image) => image.font.class),
      );
      assert.deepEqual([...classes].sort(), ['mono', 'sans', 'serif'], `clean images at ${size} px`);
    }
  });

  it('when the real set is loaded, then every image is installed with its sha256, and each of the five kinds has at least 5 images', () => {
    const images = loadRealSet();
    assert.ok(images.length >= 40);
    for (const kind of ['photo', 'screenshot', 'document', 'chart', 'drawing']) {
      assert.ok(images.filter((image) => image.kind === kind).length >= 5, kind);
    }
    for (const image of images) {
      assert.match(image.sha256, /^[0-9a-f]{64}$/);
      assert.ok(image.source.licence && image.source.version, image.file);
      assert.ok(IMAGE_KINDS.includes(image.kind), image.file);
    }
  });
});
