/**
 * Which recognised lines are quoted: a recogniser reads something in any region it is given (a "0" in a shadow, "IG"
 * in foliage, "贝" on a logo), so a line must look like text beside the lines around it before anyone is told of it.
 */
import englishWords from './english-words.json' with { type: 'json' };
import type { RecognisedLine } from './text-recognizer.js';

export interface PlausibilityRules {
  /** At least one line must be this sure and hold minAnchorCharacters letters or digits, or nothing is quoted. */
  anchorScore: number;
  minAnchorCharacters: number;
  /** Scene text (read in a photo because the detector was sure, not because the image looks rendered): every line this sure... */
  sceneLineScore: number;
  /** ...and, where it has Latin words of 4 letters or more, at least this share of them English words (units such as kWh pass). */
  sceneDictionaryShare: number;
  /** A region read mostly as fragments (isFragment: an icon's "x", "V", "=e") is quoted only when at least this sure... */
  fragmentScore: number;
  /** ...or, when it reads as a number alone (a tick label, "50 %"), this sure. */
  numberScore: number;
}

export const PLAUSIBILITY_DEFAULTS: PlausibilityRules = {
  anchorScore: 0.8,
  minAnchorCharacters: 3,
  sceneLineScore: 0.85,
  sceneDictionaryShare: 0.5,
  fragmentScore: 0.9,
  numberScore: 0.75,
};

/** Han and kana are one script here: Japanese mixes them in a line. */
export type Script = 'latin' | 'cjk' | 'hangul' | 'cyrillic' | 'greek' | 'other';

const SCRIPTS: readonly [Script, RegExp][] = [
  ['latin', /\p{Script=Latin}/u],
  ['cjk', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
];

/** The script of one letter (digits and punctuation have none: undefined). */
export function scriptOf(character: string): Script | undefined {
  if (!/\p{L}/u.test(character)) return undefined;
  return SCRIPTS.find(([, pattern]) => pattern.test(character))?.[0] ?? 'other';
}

/** Letters per script in a text. */
function scriptCounts(text: string): Map<Script, number> {
  const counts = new Map<Script, number>();
  for (const character of text) {
    const script = scriptOf(character);
    if (script) counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  return counts;
}

const most = (counts: Map<Script, number>): Script | undefined => [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];

const WORDS = new Set(englishWords.words.split(' '));
const SUFFIXES = ['ies', 'es', 's', 'ed', 'ing', 'ly', 'er', 'est', "'s"];

/** An English word, or one by a regular ending (stars, parked, opening, quickly). */
export function isEnglishWord(word: string): boolean {
  const w = word.toLowerCase();
  if (WORDS.has(w)) return true;
  return SUFFIXES.some(
    (s) =>
      w.length > s.length + 2 &&
      w.endsWith(s) &&
      (WORDS.has(w.slice(0, -s.length)) || WORDS.has(`${w.slice(0, -s.length)}e`) || (s === 'ies' && WORDS.has(`${w.slice(0, -3)}y`))),
  );
}

/** Share of a text's Latin words of 4 letters or more that are English words; undefined when it has none. */
export function dictionaryShare(text: string): number | undefined {
  const words = text.match(/\p{Script=Latin}{4,}(?:'s)?/gu) ?? [];
  if (words.length === 0) return undefined;
  return words.filter(isEnglishWord).length / words.length;
}

/** Pictographs, icons, box drawing (Unicode "other symbol") and circled digits read from icons: never text a reader needs. */
const SYMBOLS = /[\p{So}\p{Co}\uFFFD\u2460-\u24FF\u2776-\u2793]/gu;

const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** A number as a label gives it: sign or comparison, separators, and a trailing unit mark ("-0.5", "=1.5", "40'", "50%"). */
const NUMBER = /^[-+\u2212(=<>~\u2248\u00B1]?\d+(?:[.,:/]\d+)*[%\u00B0'"\u2032\u2033)]?$/u;

/**
 * A token that says nothing alone: at most two letters or digits and not an English word ("x", "V", "A", "=e", "tf"; of
 * single letters only "a" and "I" are words), or punctuation alone; a number, an ideograph or kana (a CJK word may be one
 * character) and a word ("a", "OK", "to") are not.
 */
export function isFragment(token: string): boolean {
  if (WIDE.test(token) || NUMBER.test(token)) return false;
  const core = (token.match(/[\p{L}\p{N}]/gu) ?? []).join('');
  if (core.length === 1) return core !== 'a' && core !== 'I';
  return core.length <= 2 && !(core.length > 0 && isEnglishWord(core));
}

/**
 * An icon or graphic read as text: a region most of whose tokens are fragments, less sure than rules.fragmentScore
 * (rules.numberScore where it is a number alone). Measured on the tuning sets (textset/README.md, "Junk tokens").
 */
export function isJunkRegion(line: RecognisedLine, rules: PlausibilityRules = PLAUSIBILITY_DEFAULTS): boolean {
  const tokens = line.text.split(' ').filter((t) => t !== '');
  if (tokens.length === 1 && NUMBER.test(tokens[0]!)) return line.score < rules.numberScore;
  return tokens.filter(isFragment).length * 2 > tokens.length && line.score < rules.fragmentScore;
}

/** Letters and digits, an ideograph or syllable block counting two (a two-character Chinese word is a word). */
function substance(text: string): number {
  const wide = (text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu) ?? []).length;
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).length + wide;
}

/**
 * The lines worth quoting (already over the reader's least score), in the order given: symbols stripped; a line in a script other than
 * most of the image's letters dropped (a lone "贝" beside English); nothing at all unless one line is sure and long
 * enough to be a word; and for scene text, only sure lines that read as English where they are Latin.
 */
export function plausibleLines<L extends RecognisedLine>(
  lines: readonly L[],
  scene: boolean,
  rules: PlausibilityRules = PLAUSIBILITY_DEFAULTS,
): L[] {
  const clean = lines
    .map((l) => ({ ...l, text: l.text.replace(SYMBOLS, '').replace(/\s+/g, ' ').trim() }))
    .filter((l) => substance(l.text) > 0 && !isJunkRegion(l, rules) && (!scene || l.score >= rules.sceneLineScore));
  const dominant = most(scriptCounts(clean.map((l) => l.text).join('')));
  const consistent = clean.filter((l) => {
    const own = most(scriptCounts(l.text));
    return own === undefined || own === dominant;
  });
  const sensible = scene ? consistent.filter((l) => (dictionaryShare(l.text) ?? 1) >= rules.sceneDictionaryShare) : consistent;
  const anchored = sensible.some((l) => l.score >= rules.anchorScore && substance(l.text) >= rules.minAnchorCharacters);
  return anchored ? sensible : [];
}
