/** Score OCR output and image kinds against the text sets' truth: character error rate, word accuracy, kind confusion. */
import { IMAGE_KINDS as API_IMAGE_KINDS, type ImageKind as ApiImageKind } from '../src/caption/image-kind.js';

/** What the OCR stage returns for one image, reduced to what scoring needs (the API's `text`). */
export interface OcrOutput {
  readonly content: string;
  readonly lines: readonly { readonly text: string }[];
}

/**
 * The kinds an image is labelled with: the API's (src/caption/image-kind.ts) and `graphic`, text set on a plain, coloured
 * or patterned ground (a sign, a card), which the API has no word for and answers as a drawing or a photo.
 */
export type ImageKind = ApiImageKind | 'graphic';
export const IMAGE_KINDS: readonly ImageKind[] = [...API_IMAGE_KINDS, 'graphic'];

/** Counts for one image; rates are computed from sums so that a set's figures weigh every character alike. */
export interface TextScore {
  /** Characters of the normalised truth: the denominator of the character error rate. */
  readonly truthChars: number;
  readonly ocrChars: number;
  /** Levenshtein distance between the normalised truth and OCR text, case kept. */
  readonly charErrors: number;
  readonly charErrorsIgnoringCase: number;
  readonly truthWords: number;
  /** Truth words found in order in the OCR text (longest common subsequence of the two word lists), case kept. */
  readonly wordsCorrect: number;
  readonly wordsCorrectIgnoringCase: number;
  /** Truth words found anywhere in the OCR text (multiset intersection), case kept: for layouts whose reading order is a choice. */
  readonly wordsFound: number;
  /** Whitespace-separated tokens of the OCR text: what a reader is told. */
  readonly ocrTokens: number;
  /** OCR tokens not in the truth (junkTokens): icons read as "=e" or "8", misreads, and on a text-free image every token. */
  readonly junkTokens: number;
}

export interface TextSummary {
  readonly images: number;
  /** Images whose truth has text: the rates below are over these alone. */
  readonly imagesWithText: number;
  readonly truthChars: number;
  /** Σ charErrors / Σ truthChars over the images with text; NaN when there are none. */
  readonly cer: number;
  readonly cerIgnoringCase: number;
  /** Σ wordsCorrect / Σ truthWords; NaN when the images have no truth words. */
  readonly wordAccuracy: number;
  readonly wordAccuracyIgnoringCase: number;
  /** Σ wordsFound / Σ truthWords: word recall in any order. */
  readonly wordRecallAnyOrder: number;
  /** Images with no truth text for which the OCR returned some: text claimed where there is none. */
  readonly spuriousText: number;
  /** Σ ocrTokens and Σ junkTokens over every image, text-free ones included, and the images with any junk token. */
  readonly ocrTokens: number;
  readonly junkTokens: number;
  readonly imagesWithJunk: number;
}

/** Whitespace runs (newlines included) to one space, ends trimmed, Unicode NFC; case and punctuation kept. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** The OCR's text in reading order: `content`, or the lines joined when `content` is empty. */
export function ocrText(output: OcrOutput): string {
  return output.content.trim() !== '' ? output.content : output.lines.map((line) => line.text).join('\n');
}

/** Edit distance (insertions, deletions, substitutions, each 1) between two sequences of code points or words. */
export function levenshtein(a: string | readonly string[], b: string | readonly string[]): number {
  const left = typeof a === 'string' ? Array.from(a) : a;
  const right = typeof b === 'string' ? Array.from(b) : b;
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length]!;
}

/** Length of the longest common subsequence of two word lists. */
export function commonSubsequenceLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = [0];
    for (let j = 1; j <= b.length; j++) {
      current.push(a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The words of a text as the ISRI OCR tools count them (Rice, Jenkins & Nartker 1995): maximal runs of letters and
 * digits; punctuation and spaces only separate ("Total: $18.75" -> Total, 18, 75).
 */
export function words(text: string): string[] {
  return text.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** How many words of `a` also occur in `b`, each occurrence in `b` used once. */
export function commonWordCount(a: readonly string[], b: readonly string[]): number {
  const unused = new Map<string, number>();
  for (const word of b) unused.set(word, (unused.get(word) ?? 0) + 1);
  let found = 0;
  for (const word of a) {
    const count = unused.get(word) ?? 0;
    if (count === 0) continue;
    unused.set(word, count - 1);
    found += 1;
  }
  return found;
}

const CJK_WORD = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+$/u;

/**
 * The OCR tokens (whitespace-separated) that are not in the truth, case ignored: a token is in it when each of its
 * words is a truth word (or, in Chinese or Japanese, which has no spaces, a run of the truth), and a token of
 * punctuation or symbols alone when the truth holds it. Misreads count too; on a partial transcription, so does text
 * that was left untranscribed.
 */
export function junkTokens(truth: string, ocr: string): string[] {
  const lowerTruth = normaliseText(truth).toLowerCase();
  const truthWords = new Set(words(lowerTruth));
  const inTruth = (word: string) => truthWords.has(word) || (CJK_WORD.test(word) && lowerTruth.includes(word));
  return normaliseText(ocr)
    .split(' ')
    .filter((token) => token !== '')
    .filter((token) => {
      const own = words(token.toLowerCase());
      return own.length === 0 ? !lowerTruth.includes(token.toLowerCase()) : !own.every(inTruth);
    });
}

/** Score one image: its truth lines (reading order) against the OCR output. */
export function scoreText(truthLines: readonly string[], output: OcrOutput): TextScore {
  const truth = normaliseText(truthLines.join('\n'));
  const ocr = normaliseText(ocrText(output));
  const truthWords = words(truth);
  const ocrWords = words(ocr);
  const lower = (list: string[]) => list.map((word) => word.toLowerCase());
  return {
    truthChars: Array.from(truth).length,
    ocrChars: Array.from(ocr).length,
    charErrors: levenshtein(truth, ocr),
    charErrorsIgnoringCase: levenshtein(truth.toLowerCase(), ocr.toLowerCase()),
    truthWords: truthWords.length,
    wordsCorrect: commonSubsequenceLength(truthWords, ocrWords),
    wordsCorrectIgnoringCase: commonSubsequenceLength(lower(truthWords), lower(ocrWords)),
    wordsFound: commonWordCount(truthWords, ocrWords),
    ocrTokens: ocr === '' ? 0 : ocr.split(' ').length,
    junkTokens: junkTokens(truth, ocr).length,
  };
}

/** Sum a set of image scores into rates; images without truth text count only as spurious text or not. */
export function summariseText(scores: readonly TextScore[]): TextSummary {
  const withText = scores.filter((score) => score.truthChars > 0);
  const sum = (pick: (score: TextScore) => number) => withText.reduce((total, score) => total + pick(score), 0);
  const truthChars = sum((s) => s.truthChars);
  const truthWords = sum((s) => s.truthWords);
  return {
    images: scores.length,
    imagesWithText: withText.length,
    truthChars,
    cer: sum((s) => s.charErrors) / truthChars,
    cerIgnoringCase: sum((s) => s.charErrorsIgnoringCase) / truthChars,
    wordAccuracy: sum((s) => s.wordsCorrect) / truthWords,
    wordAccuracyIgnoringCase: sum((s) => s.wordsCorrectIgnoringCase) / truthWords,
    wordRecallAnyOrder: sum((s) => s.wordsFound) / truthWords,
    spuriousText: scores.filter((s) => s.truthChars === 0 && s.ocrChars > 0).length,
    ocrTokens: scores.reduce((total, s) => total + s.ocrTokens, 0),
    junkTokens: scores.reduce((total, s) => total + s.junkTokens, 0),
    imagesWithJunk: scores.filter((s) => s.junkTokens > 0).length,
  };
}

/** One summary per group ("by size": the rendered set's cap height in px), keys in ascending order. */
export function summariseBy<K extends string | number>(
  items: readonly { readonly key: K; readonly score: TextScore }[],
): Map<K, TextSummary> {
  const groups = new Map<K, TextScore[]>();
  for (const { key, score } of items) groups.set(key, [...(groups.get(key) ?? []), score]);
  const keys = [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(keys.map((key) => [key, summariseText(groups.get(key)!)]));
}

export interface KindJudgement {
  readonly truth: ImageKind;
  readonly predicted: string;
  /** Other answers that are fair for this image (a text card may fairly be called a drawing); the label comes first. */
  readonly acceptable?: readonly string[];
}

export interface KindConfusion {
  /** counts[truth][predicted]: every truth kind and every predicted label seen has a row or column. */
  readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly truthKinds: readonly string[];
  readonly predictedKinds: readonly string[];
  readonly images: number;
  /** Predicted exactly the labelled kind. */
  readonly exact: number;
  /** Predicted the labelled kind or one of its acceptable answers. */
  readonly accepted: number;
  /** Images that are not photos but were called one: the issue asks for none. */
  readonly calledPhoto: number;
}

/** The kind confusion matrix, truth in rows and predictions in columns, in IMAGE_KINDS order then any other label. */
export function kindConfusion(judgements: readonly KindJudgement[]): KindConfusion {
  const order = (labels: Iterable<string>) => {
    const seen = new Set(labels);
    const known = IMAGE_KINDS.filter((kind) => seen.has(kind));
    return [...known, ...[...seen].filter((label) => !(IMAGE_KINDS as readonly string[]).includes(label)).sort()];
  };
  const truthKinds = order(judgements.map((j) => j.truth));
  const predictedKinds = order(judgements.map((j) => j.predicted));
  const counts: Record<string, Record<string, number>> = {};
  for (const truth of truthKinds) counts[truth] = Object.fromEntries(predictedKinds.map((kind) => [kind, 0]));
  for (const j of judgements) counts[j.truth]![j.predicted]! += 1;
  return {
    counts,
    truthKinds,
    predictedKinds,
    images: judgements.length,
    exact: judgements.filter((j) => j.predicted === j.truth).length,
    accepted: judgements.filter((j) => j.predicted === j.truth || (j.acceptable ?? []).includes(j.predicted)).length,
    calledPhoto: judgements.filter((j) => j.truth !== 'photo' && j.predicted === 'photo').length,
  };
}
