import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageScore } from '../../devset/score-alt-text.js';
import { tabulate, verdictOf, type Judged, type Row } from '../../scripts/alt-text-table.js';
import type { SetImage } from '../../scripts/eval-alt-text-http.js';

const source = { registry: 'debian', package: 'p', version: '1', path: '/x', licence: 'MIT' };
const image = (file: string, extra: Partial<SetImage> = {}): SetImage => ({
  file,
  source,
  sha256: '0'.repeat(64),
  kind: 'photo',
  people: 0,
  subjects: ['dog'],
  acceptable: [],
  note: '',
  ...extra,
});
const score = (extra: Partial<ImageScore> = {}): ImageScore => ({
  named: [],
  hits: [],
  wrong: [],
  fallback: false,
  peopleMentioned: false,
  grammar: [],
  usefulAndCorrect: false,
  ...extra,
});
const row = (img: SetImage, altText: string, s: ImageScore): Row => ({
  image: img,
  altText,
  answeredKind: img.kind,
  label: 'x 0.90',
  score: s,
});

describe('the alt-text table: a person verdict counts only for the alt-text judged', () => {
  const judged: Judged = { a: { alt_text: 'May be a dog.', verdict: 'useful' }, b: { alt_text: 'An image.', verdict: 'vague' } };

  it('when the alt-text is the judged one, then its verdict applies; when it changed, then it is unjudged', () => {
    assert.equal(verdictOf(row(image('a'), 'May be a dog.', score()), judged), 'useful');
    assert.equal(verdictOf(row(image('a'), 'May be a cat.', score()), judged), 'unjudged');
    assert.equal(verdictOf(row(image('c'), 'May be a dog.', score()), judged), 'unjudged');
  });

  it('when rows are tabulated, then verdicts, people and quoted text are counted per part', () => {
    const rows = [
      row(image('a'), 'May be a dog.', score({ hits: ['a dog'], usefulAndCorrect: true })),
      row(image('b', { people: 2, text: 'EXIT' }), 'An image.', score({ fallback: true })),
      row(image('d', { kind: 'chart' }), "A chart or diagram with text that says 'E'.", score({ hits: ['chart'], usefulAndCorrect: true })),
      // From a label file that transcribes no text: its quote is neither right nor a quote of text that is not there.
      row(image('e', { kind: 'screenshot', textUntranscribed: true }), "A screenshot with text that says 'OK'.", score()),
    ];
    const { table, lines } = tabulate(rows, judged);
    assert.match(table, /\| all \| 4 \| 1 \/ 4 \(25%\) \| 1 \/ 4 \(25%\) \| 0 \/ 4 \(0%\) \| 2 \/ 4 \(50%\) \|/);
    assert.match(table, /people mentioned, of images with people \| 0 \/ 1 \(0%\)/);
    assert.match(table, /text quoted, of images with legible text \| 0 \/ 1 \(0%\)/);
    assert.match(table, /text quoted where there is none \| 1 \/ 2 \(50%\)/);
    assert.equal(lines.length, 4);
  });
});
