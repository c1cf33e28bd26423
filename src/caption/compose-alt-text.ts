/** Compose one short alt-text sentence from a hedged label: honest about uncertainty, correct article, < 125 chars. */
import articleRules from './article-rules.json' with { type: 'json' };
import nounForms from './noun-forms.json' with { type: 'json' };
import { LISTED_ABSTRACT } from './abstract-concepts.js';
import type { ImageKind } from './image-kind.js';

const MASS_NOUNS = new Set(nounForms.mass_nouns);

/** True for a noun that takes no indefinite article ("clothing", "produce", "electronic equipment"). */
export function isMassNoun(name: string): boolean {
  return MASS_NOUNS.has(name.trim().toLowerCase());
}

export const ALT_TEXT_MAX_CHARS = 124;
/** Said when nothing is known with confidence: true of a chart or a screenshot too, unlike "A photo.". */
export const FALLBACK_ALT_TEXT = 'An image.';

/** The kinds other than photo whose sentence says what the image shows ("A drawing of what may be a horse."); the others say their kind and text alone. */
export const SUBJECT_KINDS: ReadonlySet<ImageKind> = new Set(['drawing', 'painting']);

/** Score at or above which the sentence says "Probably" rather than "May be". */
export const PROBABLY_FROM = 0.9;

const VOWELS = /^[aeiou]/i;

/** "a" or "an" for a phrase: the vowel-letter rule plus the exception lists in article-rules.json. */
export function indefiniteArticle(phrase: string): 'a' | 'an' {
  const lower = phrase.trim().toLowerCase();
  let best: { length: number; article: 'a' | 'an' } | undefined;
  const consider = (prefixes: string[], article: 'a' | 'an') => {
    for (const prefix of prefixes) {
      if (lower.startsWith(prefix) && (!best || prefix.length > best.length)) best = { length: prefix.length, article };
    }
  };
  consider(articleRules.an_before, 'an');
  consider(articleRules.a_before, 'a');
  if (best) return best.article;
  return VOWELS.test(lower) ? 'an' : 'a';
}

function shorten(name: string, room: number): string {
  if (name.length <= room) return name;
  const cut = name.slice(0, room);
  const space = cut.lastIndexOf(' ');
  return space > 0 ? cut.slice(0, space) : cut;
}

/** The hedge and the label as English says them ("May be", "a tabby cat"), the name shortened to the budget; undefined when too abstract to say. */
export function labelPhrase(
  label: { id: string; name: string; score: number; isRoot: boolean },
  tooAbstract: ReadonlySet<string> = LISTED_ABSTRACT,
): { hedge: 'Probably' | 'May be'; phrase: string } | undefined {
  if (label.isRoot || tooAbstract.has(label.id)) return undefined;
  const hedge = label.score >= PROBABLY_FROM ? 'Probably' : 'May be';
  const name = label.name.trim().replace(/\s+/g, ' ');
  const article = isMassNoun(name) ? undefined : indefiniteArticle(name);
  const room = ALT_TEXT_MAX_CHARS - `${hedge}${article ? ` ${article}` : ''} .`.length;
  return { hedge, phrase: `${article ? `${article} ` : ''}${shorten(name, room)}` };
}

/** One sentence such as "May be a tabby cat."; the plain fallback when the label is the root or in `tooAbstract`. */
export function composeAltText(
  label: { id: string; name: string; score: number; isRoot: boolean },
  tooAbstract: ReadonlySet<string> = LISTED_ABSTRACT,
): string {
  const said = labelPhrase(label, tooAbstract);
  return said ? `${said.hedge} ${said.phrase}.` : FALLBACK_ALT_TEXT;
}
