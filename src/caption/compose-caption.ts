/** The one composer: facts (scene, kind, text read) -> alt-text and description in any language, through that language's grammar. */
import { ALT_TEXT_MAX_CHARS } from './compose-alt-text.js';
import { OBJECTS_IN_ALT_TEXT, type SceneFacts, type SceneText } from './describe-scene.js';
import type { ImageKind } from './image-kind.js';
import { ENGLISH_GRAMMAR } from './languages/english.js';
import { LANGUAGE_PACKS } from './languages/packs.js';
import { packGrammar } from './languages/pack-grammar.js';

/** Below this many characters of room the quote says nothing useful: the sentence says "with text" instead. */
const MIN_QUOTE_CHARS = 12;

/** The scene as one language says it: phrases, people first; `where` is a label's position, where the language says one. */
export interface Items {
  readonly form: SceneFacts['form'];
  readonly names: readonly string[];
  readonly probably: boolean;
  readonly where?: string;
}

/** What a language decides; the composer decides the rest (what is said, in what order, the quote's room, the budget). */
export interface Grammar {
  /** The scene's items with at most `objects` objects, each with its position where `positions` is set and the language says them. */
  items(facts: SceneFacts, objects: number, positions: boolean): Items;
  /** The sentence for the kind and the items, with `text` (already phrased) where given. */
  sentence(kind: ImageKind, items: Items, text: string | undefined): string;
  /** The text item: with its quote, or the bare word when `quote` is undefined (no room for one). */
  textItem(quote: string | undefined): string;
  /** The description's sentence quoting all the text read. */
  textFull(quote: string): string;
  readonly sentenceGap: string;
  /** The alt-text within ALT_TEXT_MAX_CHARS. */
  fit(alt: string, kind: ImageKind, hasText: boolean): string;
  /** How much of the scene the description says for this kind. */
  described(kind: ImageKind): { objects: number; positions: boolean };
}

/** The text on one line, cut at a word boundary to at most `room` characters (an ellipsis marks the cut). */
export function quoteWithin(content: string, room: number): string | undefined {
  const flat = content.replace(/\s+/g, ' ').trim();
  if (flat.length === 0 || room < MIN_QUOTE_CHARS) return undefined;
  if (flat.length + 2 <= room) return `'${flat}'`;
  const cut = flat.slice(0, room - 3);
  const space = cut.lastIndexOf(' ');
  return `'${(space >= MIN_QUOTE_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…'`;
}

/** The text item with its quote cut to the room the rest of the sentence leaves, or the bare word. */
function textItem(grammar: Grammar, kind: ImageKind, items: Items, content: string): string {
  const room = ALT_TEXT_MAX_CHARS - grammar.sentence(kind, items, grammar.textItem('')).length;
  return grammar.textItem(quoteWithin(content, room));
}

/** Alt-text and description of the facts in one grammar; the text read is quoted as read, never translated. */
export function composeCaption(facts: SceneFacts, kind: ImageKind, content: string, grammar: Grammar): SceneText {
  const hasText = content.trim().length > 0;
  const brief = grammar.items(facts, OBJECTS_IN_ALT_TEXT, false);
  const alt = grammar.fit(grammar.sentence(kind, brief, hasText ? textItem(grammar, kind, brief, content) : undefined), kind, hasText);
  const { objects, positions } = grammar.described(kind);
  const full = grammar.sentence(kind, grammar.items(facts, objects, positions), undefined);
  const said = hasText ? `${full}${grammar.sentenceGap}${grammar.textFull(`'${content.split('\n').join(' / ')}'`)}` : full;
  return { alt_text: alt, description: said };
}

/** The grammar of a caption language (CAPTION_LANGUAGES); English for any other tag. */
export function grammarOf(lang: string): Grammar {
  const pack = LANGUAGE_PACKS.get(lang);
  return pack ? packGrammar(pack) : ENGLISH_GRAMMAR;
}
