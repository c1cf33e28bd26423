/** Alt-text and description in another language, composed from the same facts as the English, in a list form that needs no gender agreement. */
import { LISTED_ABSTRACT } from '../abstract-concepts.js';
import { ALT_TEXT_MAX_CHARS, PROBABLY_FROM } from '../compose-alt-text.js';
import { EXACT_PEOPLE_UP_TO, OBJECTS_IN_ALT_TEXT, type SceneFacts, type SceneText } from '../describe-scene.js';
import { quoteWithin } from '../describe-text.js';
import type { ImageKind } from '../image-kind.js';
import { conceptName, type LanguagePack } from './packs.js';

const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));

/** "1 personne", "3 personnes", "5 osób" (CLDR plural category), or the pack's "a group of people" above the exact count. */
export function peoplePhrase(pack: LanguagePack, count: number): string | undefined {
  if (count === 0) return undefined;
  if (count > EXACT_PEOPLE_UP_TO) return pack.group;
  const category = new Intl.PluralRules(pack.lang).select(count);
  return fill(pack.people[category] ?? pack.people.other, { count });
}

interface Items {
  readonly names: readonly string[];
  readonly probably: boolean;
}

/** The scene as list items in the pack's language: people first, then objects; a concept the language cannot name is left out. */
function sceneItems(facts: SceneFacts, pack: LanguagePack, objects: number): Items {
  if (facts.form === 'label') {
    const { label } = facts;
    const abstract = label.isRoot || (facts.tooAbstract ?? LISTED_ABSTRACT).has(label.id);
    const name = abstract ? undefined : conceptName(pack, label.id);
    return { names: name ? [name] : [], probably: label.score >= PROBABLY_FROM };
  }
  const who = peoplePhrase(pack, facts.people);
  const named = facts.objects.flatMap((o) => {
    const name = conceptName(pack, o.id);
    return name ? [o.count === 1 ? name : fill(pack.counted, { name, count: o.count })] : [];
  });
  return { names: [...(who ? [who] : []), ...new Set(named)].slice(0, (who ? 1 : 0) + objects), probably: false };
}

/** One sentence for the kind and the items, `text` (already phrased) as the last item. */
function sentence(pack: LanguagePack, kind: ImageKind, items: Items, text: string | undefined): string {
  const all = [...items.names, ...(text ? [text] : [])].join(pack.separator);
  if (kind === 'photo') {
    if (all.length === 0) return pack.fallback;
    return fill(items.probably ? pack.probably : pack.maybe, { items: all });
  }
  const lead = pack.kinds[kind];
  if (kind === 'drawing' && items.names.length > 0) return fill(pack.kind_maybe, { kind: lead, items: all });
  return text ? fill(pack.kind_with, { kind: lead, items: text }) : fill(pack.kind_alone, { kind: lead });
}

/** The text item with its quote cut to the room the rest of the sentence leaves, or the unquoted word. */
function textItem(pack: LanguagePack, kind: ImageKind, items: Items, content: string): string {
  const room = ALT_TEXT_MAX_CHARS - sentence(pack, kind, items, fill(pack.text, { quote: '' })).length;
  const quote = quoteWithin(content, room);
  return quote ? fill(pack.text, { quote }) : pack.text_unquoted;
}

/** Cut at the last space (or character, in scripts without spaces) that keeps the sentence within the budget. */
function fit(pack: LanguagePack, said: string): string {
  if (said.length <= ALT_TEXT_MAX_CHARS) return said;
  const end = pack.fallback.slice(-1);
  const cut = said.slice(0, ALT_TEXT_MAX_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > cut.length / 2 ? cut.slice(0, space) : cut}${end}`;
}

/** Alt-text and description in the pack's language; the text read is quoted as read, never translated. */
export function localiseCaption(facts: SceneFacts, kind: ImageKind, content: string, pack: LanguagePack): SceneText {
  const hasText = content.trim().length > 0;
  const brief = sceneItems(facts, pack, OBJECTS_IN_ALT_TEXT);
  const alt = fit(pack, sentence(pack, kind, brief, hasText ? textItem(pack, kind, brief, content) : undefined));
  const full = sentence(pack, kind, sceneItems(facts, pack, Number.POSITIVE_INFINITY), undefined);
  const said = hasText ? `${full}${pack.sentence_gap}${fill(pack.text_full, { quote: `'${content.split('\n').join(' / ')}'` })}` : full;
  return { alt_text: alt, description: said };
}
