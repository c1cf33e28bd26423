/** Score one alt-text against one dev-set label, mechanically: which concepts it names, which are right, wrong, ungrammatical. */
import { indefiniteArticle } from '../src/caption/compose-alt-text.js';
import type { ImageKind } from '../src/caption/image-kind.js';
import nounForms from '../src/caption/noun-forms.json' with { type: 'json' };

/** An image is labelled with one of the kinds the API answers. */
export type Kind = ImageKind;
export type PeopleCount = number | 'many';

/** One image of devset/labels.json. */
export interface DevImage {
  readonly file: string;
  readonly source: {
    readonly registry: string;
    readonly package: string;
    readonly version: string;
    readonly path: string;
    readonly licence: string;
  };
  readonly sha256: string;
  readonly kind: Kind;
  readonly people: PeopleCount;
  readonly subjects: readonly string[];
  readonly acceptable: readonly string[];
  /** True of the image but too broad to tell a blind user anything ("artifact"): neither a hit nor a wrong claim. */
  readonly vague?: readonly string[];
  /** False where "An image." is a fair answer (no clear subject); absent means the image has one. */
  readonly clear_subject?: boolean;
  readonly note: string;
}

/** One concept the alt-text names: "2 dogs" -> { phrase: "dog", count: 2 }. */
export interface NamedConcept {
  readonly text: string;
  readonly phrase: string;
  readonly count: PeopleCount;
  readonly article?: 'a' | 'an';
  /** The sentence's frame ("a photo of"): a claim about the kind of image, not a list item. */
  readonly frame?: true;
  /** The WordNet id the response gives this name (the hedged label, a detected object), when it gives one. */
  readonly id?: string;
}

/** What the caption response says, reduced to what scoring needs. */
export interface AltTextClaim {
  readonly altText: string;
  /** Names in the response with their WordNet ids (label, objects, top classes). */
  readonly ids: ReadonlyMap<string, string>;
}

/** WordNet ancestry, from the caption bundle's hierarchy. */
export type IsUnder = (id: string, ancestorId: string) => boolean;

/** The WordNet ids a normalised name may stand for (hierarchy names and the basic-level words), for judging broader concepts. */
export type NamedIds = (phrase: string) => readonly string[];

export const WORDNET = { person: 'n00007846', animal: 'n00015388', clothing: 'n03051540' } as const;
export const FALLBACK_TEXTS: readonly string[] = ['An image.', 'A photo.'];

export type WrongReason = 'concept' | 'people_absent' | 'people_count' | 'person_as_thing';

export interface ImageScore {
  readonly named: readonly NamedConcept[];
  readonly hits: readonly string[];
  readonly wrong: readonly { readonly reason: WrongReason; readonly text: string }[];
  readonly fallback: boolean;
  readonly peopleMentioned: boolean;
  /** The people count the alt-text states: a number, "many" (a group), or undefined when it names no person. */
  readonly statedPeople?: PeopleCount;
  readonly grammar: readonly string[];
  readonly usefulAndCorrect: boolean;
}

const MASS = new Set(nounForms.mass_nouns);
/** Nouns whose plural is the singular ("sheep", "scissors"). */
const INVARIANT = new Set(Object.entries(nounForms.plurals).flatMap(([one, many]) => (one === many ? [one] : [])));
const IRREGULAR_SINGULAR: Record<string, string> = {
  ...Object.fromEntries(Object.entries(nounForms.plurals).map(([singular, pluralForm]) => [pluralForm, singular])),
  men: 'man',
  women: 'woman',
  children: 'child',
  feet: 'foot',
  teeth: 'tooth',
  geese: 'goose',
};
/** Singular nouns the -s rule would take for plurals. */
const SINGULAR_IN_S = new Set(['lens', 'canvas', 'thermos', 'series', 'species', 'news', 'means', 'chassis', 'gas']);
const PERSON_WORDS = new Set(['person', 'man', 'woman', 'boy', 'girl', 'child', 'baby', 'people', 'group of person']);
const KIND_WORDS: Record<string, readonly Kind[]> = {
  photo: ['photo'],
  photograph: ['photo'],
  screenshot: ['screenshot'],
  chart: ['chart'],
  graph: ['chart'],
  drawing: ['drawing'],
  painting: ['drawing'],
  map: ['drawing'],
  illustration: ['drawing'],
  text: ['document', 'screenshot'],
  document: ['document'],
  diagram: ['chart'],
  'chart or diagram': ['chart'],
};

/** "dogs" -> "dog", "buses" -> "bus", "people" -> "person"; leaves singulars alone (applied to both sides of a match). */
export function singular(word: string): string {
  if (IRREGULAR_SINGULAR[word]) return IRREGULAR_SINGULAR[word];
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/(ss|us|is)$/.test(word) || word.length <= 3) return word;
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

/** Lower case, hyphens and apostrophes out, every word singular: the form both label terms and alt-text phrases are compared in. */
export function normalise(term: string): string {
  return term.toLowerCase().replace(/['’]/g, '').replace(/[-_/]/g, ' ').split(/\s+/).filter(Boolean).map(singular).join(' ');
}

/** Strip the hedge and the frame ("May be an image of"), split the list, read each item's article or count. */
export function nameConcepts(altText: string, ids: ReadonlyMap<string, string> = new Map()): NamedConcept[] {
  if (FALLBACK_TEXTS.includes(altText.trim())) return [];
  let body = altText.trim().replace(/\.$/, '');
  body = body.replace(/^(probably|may be|possibly|perhaps|likely)\s+/i, '');
  const items: NamedConcept[] = [];
  // "… text that says 'Mind the gap'" or "… with text": one claim, that the image has text; the quote is not a list.
  const saysText = /(?:,?\s+(?:with|and)\s+|^|(?<=\bof )|(?<=^an image of ))text(?: that says '.*')?$/is.exec(body);
  if (saysText) body = body.slice(0, saysText.index);
  const kindOnly = /^an? (screenshot|document|chart or diagram|drawing|painting|map|chart|diagram|photo)$/i.exec(body);
  const frame =
    kindOnly ??
    /^(?:an? )?(image|photo|photograph|picture|screenshot|document|drawing|painting|illustration|chart or diagram|chart|graph) of\s+(?:what may be\s+)?/i.exec(
      body,
    );
  if (frame) {
    const word = frame[1]!.toLowerCase();
    if (word !== 'image' && word !== 'picture') items.push({ text: frame[0].trim(), phrase: word, count: 1, frame: true });
    body = body.slice(frame[0].length);
  }
  if (saysText) items.push({ text: saysText[0].trim(), phrase: 'text', count: 1, frame: true });
  const idOf = new Map([...ids].map(([name, id]) => [normalise(name), id]));
  for (const raw of body
    .split(/,\s*|\s+and\s+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const lower = raw.toLowerCase();
    let count: PeopleCount = 1;
    let article: 'a' | 'an' | undefined;
    let rest = lower;
    const group = /^(?:a group of|some|several|many)\s+(.*)$/.exec(lower);
    const articled = group ? null : /^(a|an)\s+(.*)$/.exec(lower);
    const numbered = group || articled ? null : /^(\d+)\s+(.*)$/.exec(lower);
    if (group) [count, rest] = ['many', group[1]!];
    else if (articled) [article, rest] = [articled[1] as 'a' | 'an', articled[2]!];
    else if (numbered) [count, rest] = [Number(numbered[1]), numbered[2]!];
    const phrase = normalise(rest);
    const id = idOf.get(phrase);
    items.push({ text: raw, phrase, count, ...(article ? { article } : {}), ...(id ? { id } : {}) });
  }
  return items;
}

/** Mechanical grammar checks of one sentence; each failure is named. */
export function grammarIssues(altText: string, named: readonly NamedConcept[]): string[] {
  const issues: string[] = [];
  // The text read in the image is quoted as read: its words are not the sentence's.
  altText = altText.replace(/'[^']*'/g, "'…'");
  if (!/^[A-Z]/.test(altText)) issues.push('no capital at the start');
  if (!altText.endsWith('.')) issues.push('no full stop at the end');
  if (/\b(\w+) \1\b/i.test(altText)) issues.push('repeated word');
  if (/\b(a|an) \d/i.test(altText)) issues.push('article before a number');
  for (const item of named.filter((concept) => !concept.frame)) {
    const words = item.text.toLowerCase().split(/\s+/);
    const head = words.at(-1)!;
    const counted = item.article !== undefined || /^\d+$/.test(words[0]!);
    const nounText = words.slice(counted ? 1 : 0).join(' ');
    const uncountable = MASS.has(nounText) || INVARIANT.has(head);
    if (item.article && MASS.has(nounText)) issues.push(`article before a mass noun: "${item.text}"`);
    else if (item.article && indefiniteArticle(nounText) !== item.article) issues.push(`wrong article: "${item.text}"`);
    if (item.article && singular(head) !== head && !SINGULAR_IN_S.has(head)) issues.push(`article before a plural: "${item.text}"`);
    if (typeof item.count === 'number' && item.count >= 2 && singular(head) === head && !uncountable)
      issues.push(`singular after a number: "${item.text}"`);
    if (item.count === 1 && !counted && !uncountable && singular(head) === head)
      issues.push(`no article before a count noun: "${item.text}"`);
  }
  return issues;
}

function isPersonConcept(item: NamedConcept, isUnder: IsUnder): boolean {
  return PERSON_WORDS.has(item.phrase) || (item.id !== undefined && isUnder(item.id, WORDNET.person));
}

function peopleCountWrong(labelled: PeopleCount, stated: PeopleCount): boolean {
  if (labelled === 'many') return stated !== 'many' && stated <= 5;
  return stated !== labelled;
}

/** Whether a named concept is a true broader concept of one the label lists ("an animal" for a horse): vague, not wrong. */
function isTrueAncestor(item: NamedConcept, terms: ReadonlySet<string>, isUnder: IsUnder, namedIds?: NamedIds): boolean {
  if (!namedIds) return false;
  const ids = item.id ? [item.id] : namedIds(item.phrase);
  const below = [...terms].flatMap((term) => namedIds(term));
  return ids.some((id) => below.some((b) => b !== id && isUnder(b, id)));
}

/**
 * Score one image: hits, wrong claims with their reason, fallback, people, grammar, and the useful-and-correct verdict.
 * With `namedIds`, a true broader concept of a labelled one counts as vague (neither a hit nor a wrong claim).
 */
export function scoreAltText(image: DevImage, claim: AltTextClaim, isUnder: IsUnder, namedIds?: NamedIds): ImageScore {
  const named = nameConcepts(claim.altText, claim.ids);
  const terms = new Set([...image.subjects, ...image.acceptable].map(normalise));
  const vague = new Set((image.vague ?? []).map(normalise));
  const hasPeople = image.people === 'many' || image.people > 0;
  const hits: string[] = [];
  const wrong: { reason: WrongReason; text: string }[] = [];
  const people = named.filter((item) => isPersonConcept(item, isUnder));
  // A count is stated only by a person word ("2 people", "a group of people"); "a ballplayer" says one.
  const counting = people.find((item) => PERSON_WORDS.has(item.phrase)) ?? people[0];
  for (const item of named) {
    const kindWord = KIND_WORDS[item.phrase];
    if (item.phrase === 'text' && image.kind === 'photo' && !terms.has('text') && !terms.has('sign')) continue;
    if (item.phrase === 'text' && image.kind !== 'photo') hits.push(item.text);
    else if (terms.has(item.phrase) || (kindWord?.includes(image.kind) ?? false)) hits.push(item.text);
    else if (people.includes(item) && PERSON_WORDS.has(item.phrase) && hasPeople) hits.push(item.text);
    else if (people.includes(item) && !hasPeople) wrong.push({ reason: 'people_absent', text: item.text });
    else if (!vague.has(item.phrase) && !isTrueAncestor(item, terms, isUnder, namedIds)) wrong.push({ reason: 'concept', text: item.text });
  }
  if (counting && hasPeople && PERSON_WORDS.has(counting.phrase) && peopleCountWrong(image.people, counting.count)) {
    wrong.push({ reason: 'people_count', text: counting.text });
  }
  if (hasPeople && people.length === 0) {
    const thing = named.find((item) => item.id !== undefined && (isUnder(item.id, WORDNET.animal) || isUnder(item.id, WORDNET.clothing)));
    if (thing) wrong.push({ reason: 'person_as_thing', text: thing.text });
  }
  const fallback = FALLBACK_TEXTS.includes(claim.altText.trim());
  const usefulAndCorrect = wrong.length === 0 && (hits.length > 0 || (fallback && image.clear_subject === false));
  return {
    named,
    hits,
    wrong,
    fallback,
    peopleMentioned: people.length > 0,
    ...(counting ? { statedPeople: counting.count } : {}),
    grammar: grammarIssues(claim.altText, named),
    usefulAndCorrect,
  };
}
