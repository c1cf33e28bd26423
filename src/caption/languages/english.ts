/** The grammar of English: articles, plurals and mass nouns, hedged sentences, positions in the description. */
import { ALT_TEXT_MAX_CHARS, FALLBACK_ALT_TEXT, indefiniteArticle, isMassNoun, labelPhrase, SUBJECT_KINDS } from '../compose-alt-text.js';
import type { Grammar, Items } from '../compose-caption.js';
import { EXACT_PEOPLE_UP_TO, OBJECTS_IN_ALT_TEXT, type SceneFacts } from '../describe-scene.js';
import type { ImageKind } from '../image-kind.js';
import nounForms from '../noun-forms.json' with { type: 'json' };
import { sceneEnglish } from '../place-scene.js';

const PLURALS: Record<string, string> = nounForms.plurals;
const IMAGE_OF = 'May be an image of';

const LEADS: Record<Exclude<ImageKind, 'photo'>, string> = {
  screenshot: 'A screenshot',
  document: 'A document',
  chart: 'A chart or diagram',
  drawing: 'A drawing',
  painting: 'A painting',
  map: 'A map',
  diagram: 'A diagram',
};

/** "dog" -> "dogs", "bus" -> "buses", "person" -> "people" (exceptions are data). */
export function plural(name: string): string {
  if (PLURALS[name]) return PLURALS[name];
  if (isMassNoun(name)) return name;
  if (/(s|x|z|ch|sh)$/.test(name)) return `${name}es`;
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}

/** "a dog", "2 dogs", "dogs" (a count not to be said), "broccoli" (a mass noun takes no article). */
export function counted(name: string, count: number, countSaid = true): string {
  if (isMassNoun(name)) return name;
  if (count === 1) return `${indefiniteArticle(name)} ${name}`;
  return countSaid ? `${count} ${plural(name)}` : plural(name);
}

function peoplePhrase(count: number): string | undefined {
  if (count === 0) return undefined;
  if (count === 1) return 'a person';
  return count <= EXACT_PEOPLE_UP_TO ? `${count} people` : 'a group of people';
}

/** "a", "a and b", "a, b and c". */
function list(phrases: readonly string[]): string {
  if (phrases.length <= 1) return phrases.join('');
  return `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`;
}

/** "on the left", "in the centre", "at the top right"... from a box centre. */
export function position(box: { x: number; y: number; width: number; height: number }): string {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const col = cx < 1 / 3 ? 'left' : cx > 2 / 3 ? 'right' : '';
  const row = cy < 1 / 3 ? 'top' : cy > 2 / 3 ? 'bottom' : '';
  if (!col && !row) return 'in the centre';
  if (!row) return `on the ${col}`;
  return `at the ${row}${col ? ` ${col}` : ''}`;
}

/** The scene in English: a hedged label ("a tabby cat", within the budget), or people then objects, each counted. */
function items(facts: SceneFacts, objects: number, positions: boolean): Items {
  if (facts.form === 'scene') {
    const said = sceneEnglish(facts.scene.id);
    return { form: 'scene', names: said ? [said] : [], probably: false };
  }
  if (facts.form === 'label') {
    const said = labelPhrase(facts.label, facts.tooAbstract);
    const where = positions && facts.at ? { where: position(facts.at) } : {};
    return { form: 'label', names: said ? [said.phrase] : [], probably: said?.hedge === 'Probably', ...where };
  }
  const who = peoplePhrase(facts.people);
  const named = facts.objects.map((o) => counted(o.name, o.count, o.countSaid ?? true));
  if (!positions) return { form: 'list', names: [...(who ? [who] : []), ...named.slice(0, objects)], probably: false };
  const placed = facts.objects.slice(0, objects).map((o, i) => `${named[i]} ${position(o.at)}`);
  return { form: 'list', names: [...(who && facts.peopleAt ? [`${who} ${position(facts.peopleAt)}`] : []), ...placed], probably: false };
}

/** A photo: "May be a tabby cat, with text …", "May be an image of a person, a dog and text …", "An image of a coast." (the kind photo is never said: it is what is left when no other kind fits), or "An image.". */
function photoSentence({ form, names, probably, where }: Items, text: string | undefined): string {
  if (form === 'scene' && names.length === 1) return `An image of ${names[0]}${text ? `, with ${text}` : ''}.`;
  if (form === 'label' && names.length === 1) {
    return `${probably ? 'Probably' : 'May be'} ${names[0]}${where ? `, ${where}` : ''}${text ? `, with ${text}` : ''}.`;
  }
  const all = [...names, ...(text ? [text] : [])];
  if (all.length > 0) return `${IMAGE_OF} ${list(all)}.`;
  return where ? `${FALLBACK_ALT_TEXT.slice(0, -1)}, ${where}.` : FALLBACK_ALT_TEXT;
}

/** Another kind: the kind leads ("A drawing of what may be a horse", a painting's place unhedged as a photo's: "A painting of a coast"), the text follows with "with". */
function sentence(kind: ImageKind, items: Items, text: string | undefined): string {
  if (kind === 'photo') return photoSentence(items, text);
  if (kind === 'painting' && items.form === 'scene' && items.names.length === 1)
    return `${LEADS.painting} of ${items.names[0]}${text ? `, with ${text}` : ''}.`;
  const named = SUBJECT_KINDS.has(kind) && items.names.length > 0;
  const head = named ? `${LEADS[kind]} of what may be ${list(items.names)}` : LEADS[kind];
  return `${head}${text ? ` with ${text}` : ''}.`;
}

/**
 * A photo's list is cut at a word within the budget (a label is shortened as it is phrased; a photo with text keeps the
 * quote's own budget); another kind too long to say whole says its kind alone.
 */
function fit(alt: string, kind: ImageKind, hasText: boolean): string {
  if (alt.length <= ALT_TEXT_MAX_CHARS || (kind === 'photo' && hasText)) return alt;
  if (kind !== 'photo') return `${LEADS[kind]}.`;
  const cut = alt.slice(0, ALT_TEXT_MAX_CHARS - 1);
  return `${cut.slice(0, cut.lastIndexOf(' '))}.`;
}

/** English; a photo's description names every object and where it is, another kind's repeats the alt-text's items. */
export const ENGLISH_GRAMMAR: Grammar = {
  items,
  sentence,
  textItem: (quote) => (quote === undefined ? 'text' : `text that says ${quote}`),
  textFull: (quote) => `The text says: ${quote}.`,
  sentenceGap: ' ',
  fit,
  described: (kind) =>
    kind === 'photo' ? { objects: Number.POSITIVE_INFINITY, positions: true } : { objects: OBJECTS_IN_ALT_TEXT, positions: false },
};
