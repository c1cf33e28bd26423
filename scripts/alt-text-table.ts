/** The alt-text quality table by kind, people and text, from per-image rows and (optionally) a person's verdicts. */
import type { ImageScore } from '../devset/score-alt-text.js';
import type { SetImage } from './eval-alt-text-http.js';

export type Verdict = 'useful' | 'vague' | 'wrong';
/** A person's verdict on one alt-text, keyed by image file; it applies only while the alt-text is the one judged. */
export type Judged = Record<string, { readonly alt_text: string; readonly verdict: Verdict; readonly why?: string }>;

export interface Row {
  readonly image: SetImage;
  readonly altText: string;
  readonly answeredKind: string;
  readonly label: string;
  readonly score: ImageScore;
}

const QUOTE = /\bsays '/;
const hasPeople = (row: Row) => row.image.people === 'many' || row.image.people > 0;
const countable = (row: Row) => typeof row.image.people === 'number' && row.image.people > 0;
const mechanical = (row: Row): Verdict | 'fallback' =>
  row.score.usefulAndCorrect ? 'useful' : row.score.wrong.length > 0 ? 'wrong' : row.score.fallback ? 'fallback' : 'vague';

/** The person's verdict when the alt-text is the judged one; "unjudged" when it changed or was never judged. */
export function verdictOf(row: Row, judged: Judged): Verdict | 'unjudged' {
  const entry = judged[row.image.file];
  return entry && entry.alt_text === row.altText ? entry.verdict : 'unjudged';
}

const GROUPS: readonly [string, (row: Row) => boolean][] = [
  ['all', () => true],
  ['photo', (r) => r.image.kind === 'photo' && !r.image.transparent],
  ['– with people', (r) => r.image.kind === 'photo' && hasPeople(r)],
  ['photo cut-out (transparent)', (r) => r.image.kind === 'photo' && r.image.transparent === true],
  ['drawing (paintings, portraits, clip art, diagrams)', (r) => r.image.kind === 'drawing'],
  ['– with people', (r) => r.image.kind === 'drawing' && hasPeople(r)],
  ['screenshot', (r) => r.image.kind === 'screenshot'],
  ['chart', (r) => r.image.kind === 'chart'],
  ['document', (r) => r.image.kind === 'document'],
];

const share = (n: number, of: number) => (of === 0 ? '–' : `${n} / ${of} (${Math.round((100 * n) / of)}%)`);

/** People, text and fallback rows of the table. */
function measureRows(rows: readonly Row[]): string[] {
  const people = rows.filter(hasPeople);
  const counted = rows.filter(countable);
  const withText = rows.filter((r) => r.image.text !== undefined);
  const photosWithText = withText.filter((r) => r.image.kind === 'photo');
  const noText = rows.filter((r) => r.image.text === undefined && r.image.textUntranscribed !== true);
  return [
    '',
    '| measure | images |',
    '| --- | --- |',
    `| people mentioned, of images with people | ${share(people.filter((r) => r.score.peopleMentioned).length, people.length)} |`,
    `| exact count, of images with 1–5 people | ${share(counted.filter((r) => r.score.statedPeople === r.image.people).length, counted.length)} |`,
    `| a person named as an animal or clothing | ${share(people.filter((r) => r.score.wrong.some((w) => w.reason === 'person_as_thing')).length, people.length)} |`,
    // Only label files that transcribe text (a `text` field) can say where text is and is not.
    ...(withText.length === 0
      ? ['| text quoted | not labelled in these files |']
      : [
          `| text quoted, of images with legible text | ${share(withText.filter((r) => QUOTE.test(r.altText)).length, withText.length)} |`,
          `| – photos with text in the scene | ${share(photosWithText.filter((r) => QUOTE.test(r.altText)).length, photosWithText.length)} |`,
          `| text quoted where there is none | ${share(noText.filter((r) => QUOTE.test(r.altText)).length, noText.length)} |`,
        ]),
    `| fallbacks ("An image." / "A photo.") | ${share(rows.filter((r) => r.score.fallback).length, rows.length)} |`,
  ];
}

/** Markdown tables (verdicts by group; people; text) and one line per image. */
export function tabulate(rows: readonly Row[], judged: Judged): { table: string; lines: string[] } {
  const anyJudged = rows.some((row) => verdictOf(row, judged) !== 'unjudged');
  const head = anyJudged
    ? '| part | n | judged useful | vague | wrong | unjudged | scorer: useful | scorer: wrong | fallbacks |'
    : '| part | n | scorer: useful | scorer: wrong | fallbacks |';
  const table = [head, `|${' --- |'.repeat(head.split('|').length - 2)}`];
  for (const [name, test] of GROUPS) {
    const part = rows.filter(test);
    const n = part.length;
    const count = (f: (row: Row) => boolean) => part.filter(f).length;
    const scorer = `${share(
      count((r) => mechanical(r) === 'useful'),
      n,
    )} | ${share(
      count((r) => mechanical(r) === 'wrong'),
      n,
    )} | ${share(
      count((r) => r.score.fallback),
      n,
    )}`;
    const person = (['useful', 'vague', 'wrong', 'unjudged'] as const)
      .map((v) =>
        share(
          count((r) => verdictOf(r, judged) === v),
          n,
        ),
      )
      .join(' | ');
    table.push(anyJudged ? `| ${name} | ${n} | ${person} | ${scorer} |` : `| ${name} | ${n} | ${scorer} |`);
  }
  table.push(...measureRows(rows));
  const lines = rows.map((row) => {
    const notes = row.score.wrong.map((w) => `${w.reason}: ${w.text}`).join('; ');
    const verdict = verdictOf(row, judged);
    return `${verdict.padEnd(8)} ${mechanical(row).padEnd(8)} ${row.image.file.split('/').slice(-2).join('/')} [${row.image.kind}, people ${row.image.people}] "${row.altText}" (${row.answeredKind}; ${row.label})${notes ? ` -- ${notes}` : ''}`;
  });
  return { table: table.join('\n'), lines };
}
