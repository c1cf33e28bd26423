/** The caption language packs (built by scripts/build-language-packs.ts from the Open Multilingual Wordnet), by BCP 47 tag. */
import ca from './ca.json' with { type: 'json' };
import de from './de.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };
import it from './it.json' with { type: 'json' };
import ko from './ko.json' with { type: 'json' };
import nl from './nl.json' with { type: 'json' };
import pl from './pl.json' with { type: 'json' };
import pt from './pt.json' with { type: 'json' };
import ru from './ru.json' with { type: 'json' };
import tr from './tr.json' with { type: 'json' };
import zh from './zh.json' with { type: 'json' };
import type { ImageKind } from '../image-kind.js';

/** One language's names for concepts and its sentence templates, with the sources the names came from. */
export interface LanguagePack {
  readonly lang: string;
  readonly name: string;
  readonly english_name: string;
  readonly fallback: string;
  readonly maybe: string;
  readonly probably: string;
  readonly separator: string;
  readonly counted: string;
  /** By CLDR plural category; `other` always present. */
  readonly people: Readonly<Record<string, string>> & { readonly other: string };
  readonly group: string;
  readonly kinds: Readonly<Record<Exclude<ImageKind, 'photo'>, string>>;
  readonly kind_with: string;
  readonly kind_maybe: string;
  /** A painting said by the place it shows: {kind} is the kind's phrase, {items} as in `scene`. */
  readonly kind_scene: string;
  readonly kind_alone: string;
  /** A photo said by where it was taken: {items} is the scene's name, then the text item where there is one. */
  readonly scene: string;
  readonly text: string;
  readonly text_unquoted: string;
  readonly text_full: string;
  readonly sentence_gap: string;
  readonly sources: readonly { readonly name: string; readonly licence: string; readonly file: string }[];
  readonly coverage: { readonly concepts: number; readonly named: number; readonly borrowed: number };
  /** Concept id -> the language's own name. */
  readonly names: Readonly<Record<string, string>>;
  /** Concepts named only by the curated table (the sources have no lemma for them). */
  readonly curated_only: readonly string[];
  /** Concept id without a name -> its nearest ancestor with one. */
  readonly borrowed: Readonly<Record<string, string>>;
}

/** English, composed by the caption modules themselves, is not a pack. */
export const ENGLISH = 'en';

export const LANGUAGE_PACKS: ReadonlyMap<string, LanguagePack> = new Map(
  ([ca, de, es, fr, it, ko, nl, pl, pt, ru, tr, zh] as LanguagePack[]).map((pack) => [pack.lang, pack]),
);

/** Every language the alt-text can be written in, English first. */
export const CAPTION_LANGUAGES: readonly string[] = [ENGLISH, ...LANGUAGE_PACKS.keys()];

/** The language's own name for a concept, else its nearest named ancestor's; undefined when neither exists. */
export function conceptName(pack: LanguagePack, id: string): string | undefined {
  const borrowed = pack.borrowed[id];
  return pack.names[id] ?? (borrowed ? pack.names[borrowed] : undefined);
}
