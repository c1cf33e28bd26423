/** The text-recogniser kind: per-step best class and probability (argmax in the graph) -> CTC greedy decoding. */
import type { ModelBundle } from '../bundle/load-bundle.js';
import type { ModelKind } from './served-model.js';

export interface RecognisedLine {
  text: string;
  /** Mean probability of the characters kept; 0 when none was. */
  score: number;
}

/** Collapse repeats, drop blanks (class 0): the greedy CTC path read as text. */
export function ctcDecode(steps: Float32Array, characters: readonly string[]): RecognisedLine {
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let at = 0; at + 1 < steps.length; at += 2) {
    const index = steps[at]!;
    if (index !== previous && index !== 0) {
      text += characters[index] ?? '';
      sum += steps[at + 1]!;
      kept++;
    }
    previous = index;
  }
  return { text: text.trim().replace(/\s+/g, ' '), score: kept === 0 ? 0 : sum / kept };
}

const CJK = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/gu;

/**
 * The recogniser reads Chinese and Latin script; where the text is mostly Latin, a stray ideograph is a misread (a
 * Latin glyph, a checkbox or an icon taken for one), so it is dropped from every line; text mostly of ideographs is
 * kept as read. Judged over all the lines given: a lone "口" beside a list of English lines is an icon.
 */
export function dropStrayIdeographs<L extends RecognisedLine>(lines: readonly L[]): L[] {
  const letters = lines.map((l) => l.text.replace(/\s/g, '')).join('');
  const ideographs = letters.match(CJK)?.length ?? 0;
  if (ideographs === 0 || ideographs * 2 >= letters.length) return [...lines];
  return lines.map((l) => ({ ...l, text: l.text.replace(CJK, '').replace(/\s+/g, ' ').trim() })).filter((l) => l.text.length > 0);
}

const characterCache = new WeakMap<ModelBundle, string[]>();

/** The recogniser's characters in output order (classes' names; the blank's is a placeholder). */
function charactersOf(bundle: ModelBundle): string[] {
  let found = characterCache.get(bundle);
  if (!found) {
    found = bundle.manifest.classes.map((c, i) => (i === 0 ? '' : c.name));
    characterCache.set(bundle, found);
  }
  return found;
}

/** Decodes one line's output. */
export const textRecognizer: ModelKind<RecognisedLine> = {
  task: 'text_recognize',
  interpret: (raw, bundle) => ctcDecode(raw, charactersOf(bundle)),
};
