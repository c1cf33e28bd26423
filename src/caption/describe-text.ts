/** Fold the image's kind and the text read in it into the scene's alt-text and description. */
import { ALT_TEXT_MAX_CHARS, FALLBACK_ALT_TEXT } from './compose-alt-text.js';
import type { SceneText } from './describe-scene.js';
import type { ImageKind } from './image-kind.js';

/** Below this many characters of room the quote says nothing useful: the sentence says "with text" instead. */
const MIN_QUOTE_CHARS = 12;
const IMAGE_OF = 'May be an image of ';

const LEADS: Record<Exclude<ImageKind, 'photo'>, string> = {
  screenshot: 'A screenshot',
  document: 'A document',
  chart: 'A chart or diagram',
  drawing: 'A drawing',
};

/** The text on one line, cut at a word boundary to at most `room` characters (an ellipsis marks the cut). */
export function quoteWithin(content: string, room: number): string | undefined {
  const flat = content.replace(/\s+/g, ' ').trim();
  if (flat.length === 0 || room < MIN_QUOTE_CHARS) return undefined;
  if (flat.length + 2 <= room) return `'${flat}'`;
  const cut = flat.slice(0, room - 3);
  const space = cut.lastIndexOf(' ');
  return `'${(space >= MIN_QUOTE_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…'`;
}

/** "<head> with text that says '…'." (or "with text" when there is no room to quote), within the alt-text budget. */
function withText(head: string, joiner: string, content: string): string {
  const room = ALT_TEXT_MAX_CHARS - `${head}${joiner}text that says .`.length;
  const quote = quoteWithin(content, room);
  return quote ? `${head}${joiner}text that says ${quote}.` : `${head}${joiner}text.`;
}

const stripPeriod = (sentence: string) => sentence.replace(/\.$/, '');

/** The photo's sentence with its text added: a list gains an item, a hedged label gains "with text". */
function photoAltText(scene: SceneText, content: string): string {
  if (scene.alt_text === FALLBACK_ALT_TEXT) return withText(IMAGE_OF.trimEnd(), ' ', content);
  const head = stripPeriod(scene.alt_text);
  if (head.startsWith(IMAGE_OF)) return withText(head.replace(/ and (?=[^,]*$)/, ', '), ' and ', content);
  return withText(head, ', with ', content);
}

/** "A drawing of what may be a horse" from the scene's own hedged sentence, when it names something. */
function drawingHead(scene: SceneText): string {
  if (scene.alt_text === FALLBACK_ALT_TEXT) return LEADS.drawing;
  const said = stripPeriod(scene.alt_text);
  const what = said.startsWith(IMAGE_OF) ? said.slice(IMAGE_OF.length) : said.replace(/^(Probably|May be) /, '');
  return `${LEADS.drawing} of what may be ${what}`;
}

/** Alt-text and description given the kind and the text (empty when none was read or none is legible). */
export function describeKindAndText(scene: SceneText, kind: ImageKind, content: string): SceneText {
  const hasText = content.trim().length > 0;
  const fullText = hasText ? ` The text says: '${content.split('\n').join(' / ')}'.` : '';
  if (kind === 'photo') {
    if (!hasText) return scene;
    return { alt_text: photoAltText(scene, content), description: `${scene.description}${fullText}` };
  }
  const head = kind === 'drawing' ? drawingHead(scene) : LEADS[kind];
  const alt = hasText ? withText(head, ' with ', content) : `${head}.`;
  return { alt_text: alt.length <= ALT_TEXT_MAX_CHARS ? alt : `${LEADS[kind]}.`, description: `${head}.${fullText}` };
}
