/** The grammar of a language pack: list items in a form that needs no gender agreement, sentences from the pack's templates. */
import { LISTED_ABSTRACT } from '../abstract-concepts.js';
import { ALT_TEXT_MAX_CHARS, PROBABLY_FROM, SUBJECT_KINDS } from '../compose-alt-text.js';
import type { Grammar, Items } from '../compose-caption.js';
import { EXACT_PEOPLE_UP_TO, type SceneFacts } from '../describe-scene.js';
import type { ImageKind } from '../image-kind.js';
import { conceptName, type LanguagePack } from './packs.js';

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));

/** "1 personne", "3 personnes", "5 osób" (CLDR plural category), or the pack's "a group of people" above the exact count. */
export function peoplePhrase(pack: LanguagePack, count: number): string | undefined {
  if (count === 0) return undefined;
  if (count > EXACT_PEOPLE_UP_TO) return pack.group;
  const category = new Intl.PluralRules(pack.lang).select(count);
  return fill(pack.people[category] ?? pack.people.other, { count });
}

/** The scene as list items in the pack's language: people first, then objects; a concept the language cannot name is left out. */
function sceneItems(facts: SceneFacts, pack: LanguagePack, objects: number): Items {
  if (facts.form === 'scene') {
    const name = conceptName(pack, facts.scene.id);
    return { form: 'scene', names: name ? [name] : [], probably: false };
  }
  if (facts.form === 'label') {
    const { label } = facts;
    const abstract = label.isRoot || (facts.tooAbstract ?? LISTED_ABSTRACT).has(label.id);
    const name = abstract ? undefined : conceptName(pack, label.id);
    return { form: 'label', names: name ? [name] : [], probably: label.score >= PROBABLY_FROM };
  }
  const who = peoplePhrase(pack, facts.people);
  const named = facts.objects.flatMap((o) => {
    const name = conceptName(pack, o.id);
    return name ? [o.count === 1 || o.countSaid === false ? name : fill(pack.counted, { name, count: o.count })] : [];
  });
  return { form: 'list', names: [...(who ? [who] : []), ...new Set(named)].slice(0, (who ? 1 : 0) + objects), probably: false };
}

/** One sentence for the kind and the items, `text` (already phrased) as the last item. */
function sentence(pack: LanguagePack, kind: ImageKind, items: Items, text: string | undefined): string {
  const all = [...items.names, ...(text ? [text] : [])].join(pack.separator);
  if (kind === 'photo') {
    if (all.length === 0) return pack.fallback;
    if (items.form === 'scene' && items.names.length > 0) return fill(pack.scene, { items: all });
    return fill(items.probably ? pack.probably : pack.maybe, { items: all });
  }
  const lead = pack.kinds[kind];
  if (kind === 'painting' && items.form === 'scene' && items.names.length > 0) return fill(pack.kind_scene, { kind: lead, items: all });
  if (SUBJECT_KINDS.has(kind) && items.names.length > 0) return fill(pack.kind_maybe, { kind: lead, items: all });
  return text ? fill(pack.kind_with, { kind: lead, items: text }) : fill(pack.kind_alone, { kind: lead });
}

/** Cut at the last space (or character, in scripts without spaces) that keeps the sentence within the budget. */
function fit(pack: LanguagePack, said: string): string {
  if (said.length <= ALT_TEXT_MAX_CHARS) return said;
  const end = pack.fallback.slice(-1);
  const cut = said.slice(0, ALT_TEXT_MAX_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > cut.length / 2 ? cut.slice(0, space) : cut}${end}`;
}

const grammars = new WeakMap<LanguagePack, Grammar>();

/** The pack's grammar (one per pack); its descriptions list every item the language can name, without positions. */
export function packGrammar(pack: LanguagePack): Grammar {
  let grammar = grammars.get(pack);
  if (grammar) return grammar;
  grammar = {
    items: (facts, objects) => sceneItems(facts, pack, objects),
    sentence: (kind, items, text) => sentence(pack, kind, items, text),
    textItem: (quote) => (quote === undefined ? pack.text_unquoted : fill(pack.text, { quote })),
    textFull: (quote) => fill(pack.text_full, { quote }),
    sentenceGap: pack.sentence_gap,
    fit: (alt) => fit(pack, alt),
    described: () => ({ objects: Number.POSITIVE_INFINITY, positions: false }),
  };
  grammars.set(pack, grammar);
  return grammar;
}
