/**
 * Build the caption language packs (src/caption/languages/<code>.json) from the Open Multilingual Wordnet subset in
 * ../shared/data/omw/, the hand-written templates and overrides in scripts/language-packs/, and the concepts the service
 * can say (the default caption model's hierarchy, the detector's classes and the scenes of src/caption/scenes.json).
 *   npx tsx scripts/build-language-packs.ts [--omw DIR] [--check]   (--check: fail if a committed pack differs, write nothing)
 * Name rules, in order: a curated override; else the lemmas of every source for the language, Latin binomials dropped
 * (the ancestor's native word reads better) and all-capital abbreviations while anything else is left; the lemma the most sources agree on; within one
 * Wiktionary-derived source, the first listed (its translation tables lead with the common word); otherwise the fewest
 * words, then the fewest characters, then file order; an initial capital is lowered outside German. A concept with no lemma borrows its nearest named ancestor's name.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../src/project-root.js';

interface Source {
  readonly file: string;
  readonly name: string;
  readonly licence: string;
  readonly ordered: boolean;
}

const WIKT = (code: string): Source => ({
  file: `wikt/wn-wikt-${code}.tab`,
  name: 'Wiktionary (automatically extracted, OMW)',
  licence: 'CC BY-SA 3.0 / GFDL',
  ordered: true,
});

/** The languages built, each with its OMW sources, best first. */
const LANGUAGES: Record<string, readonly Source[]> = {
  fr: [{ file: 'fra/wn-data-fra.tab', name: 'WOLF (Wordnet Libre du Français)', licence: 'CeCILL-C', ordered: false }, WIKT('fra')],
  it: [{ file: 'ita/wn-data-ita.tab', name: 'MultiWordNet', licence: 'CC BY 3.0', ordered: false }],
  pt: [{ file: 'por/wn-data-por.tab', name: 'OpenWN-PT', licence: 'CC BY-SA', ordered: false }],
  nl: [{ file: 'nld/wn-data-nld.tab', name: 'Open Dutch WordNet', licence: 'CC BY-SA 4.0', ordered: false }],
  pl: [{ file: 'pol/wn-data-pol.tab', name: 'plWordNet', licence: 'WordNet-style licence', ordered: false }],
  zh: [{ file: 'cow/wn-data-cmn.tab', name: 'Chinese Open Wordnet', licence: 'WordNet-style licence', ordered: false }],
  ca: [
    { file: 'mcr/wn-data-cat.tab', name: 'Multilingual Central Repository', licence: 'per module (see omw/mcr/LICENSE)', ordered: false },
  ],
  de: [WIKT('deu')],
  es: [WIKT('spa')],
  ru: [WIKT('rus')],
  ko: [WIKT('kor')],
  tr: [WIKT('tur')],
};

type Lemmas = Map<string, string[]>;

const normalise = (lemma: string) => lemma.replace(/_/g, ' ').replace(/’/g, "'").replace(/\s+/g, ' ').trim();

/** "Mochila" -> "mochila": a capital the language does not give common nouns (German does, and keeps it). */
const commonNoun = (code: string, lemma: string) =>
  code !== 'de' && /^\p{Lu}\p{Ll}/u.test(lemma) ? lemma.charAt(0).toLowerCase() + lemma.slice(1) : lemma;

/** synset id (n02121808) -> lemmas in file order, for one .tab file's noun lemmas. */
function readTab(path: string): Lemmas {
  const lemmas: Lemmas = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('#')) continue;
    const [offset, field, value] = line.split('\t');
    if (!offset?.endsWith('-n') || !value || !/(^|:)lemma$/.test(field ?? '')) continue;
    const id = `n${offset.slice(0, -2)}`;
    const word = normalise(value);
    const list = lemmas.get(id) ?? [];
    if (!list.includes(word)) list.push(word);
    lemmas.set(id, list);
  }
  return lemmas;
}

const LATIN_GENUS = /^[a-z]+(us|is|a|um|es|on|ix|ex|ia|ra|ca|ops|yx)$/i;
const LATIN_SPECIES = /^[a-z]+(us|is|a|um|ae|i|ii|ensis|ica|ris|us|ens|ans|ides|oides|ata|atus|ina|inus|alis|er|or)$/i;

/** "felis domesticus", "Canis familiaris": two ASCII words with Latin genus and species endings. */
export function isLatinBinomial(lemma: string): boolean {
  const words = lemma.split(' ');
  return words.length === 2 && LATIN_GENUS.test(words[0]!) && LATIN_SPECIES.test(words[1]!);
}

const isAbbreviation = (lemma: string) => lemma.length > 1 && lemma === lemma.toUpperCase() && /\p{Lu}/u.test(lemma);

/** One display name from every source's lemmas for a synset, by the rules in this file's comment. */
function chooseName(perSource: readonly { lemmas: string[]; ordered: boolean }[]): { name: string; rule: string } | undefined {
  const all = [...new Set(perSource.flatMap((s) => s.lemmas))].filter((l) => !isLatinBinomial(l));
  if (all.length === 0) return undefined;
  const plain = all.filter((l) => !isAbbreviation(l));
  const pool = plain.length > 0 ? plain : all;
  const agreement = (l: string) => perSource.filter((s) => s.lemmas.some((m) => m.toLowerCase() === l.toLowerCase())).length;
  const most = Math.max(...pool.map(agreement));
  const agreed = pool.filter((l) => agreement(l) === most);
  const ordered = perSource.find((s) => s.ordered && s.lemmas.some((l) => agreed.includes(l)));
  if (ordered)
    return {
      name: ordered.lemmas.find((l) => agreed.includes(l))!,
      rule: most > 1 ? 'sources agree, Wiktionary order' : 'Wiktionary order',
    };
  const key = (l: string) => [l.split(' ').length, [...l].length];
  const best = [...agreed].sort((a, b) => key(a)[0]! - key(b)[0]! || key(a)[1]! - key(b)[1]!)[0]!;
  return { name: best, rule: most > 1 ? 'sources agree, shortest' : 'shortest' };
}

interface Concept {
  readonly id: string;
  readonly english: string;
  readonly parents: readonly string[];
}

/** Every concept the service can say: the caption model's hierarchy nodes, the detector's classes and the scenes. */
function concepts(): Concept[] {
  const model = JSON.parse(readFileSync(projectPath('models/efficientnet-lite0/model.json'), 'utf8'));
  const scenes = JSON.parse(readFileSync(projectPath('src/caption/scenes.json'), 'utf8')).scenes as { id: string; english: string }[];
  const detector = JSON.parse(readFileSync(projectPath('models/nanodet-coco-288/model.json'), 'utf8'));
  const parents: Record<string, string> = JSON.parse(
    readFileSync(projectPath('scripts/language-packs/detector-parents.json'), 'utf8'),
  ).parents;
  const byId = new Map<string, Concept>();
  for (const n of model.hierarchy.nodes as { id: string; name: string; parents: string[] }[])
    byId.set(n.id, { id: n.id, english: n.name, parents: n.parents });
  for (const c of detector.classes as { id: string; name: string }[]) {
    if (!byId.has(c.id)) byId.set(c.id, { id: c.id, english: c.name, parents: parents[c.id] ? [parents[c.id]!] : [] });
  }
  for (const s of scenes) if (!byId.has(s.id)) byId.set(s.id, { id: s.id, english: s.english, parents: [] });
  return [...byId.values()];
}

/** The nearest ancestor (breadth first, first parent first) that has a name. */
function nearestNamed(id: string, byId: ReadonlyMap<string, Concept>, named: ReadonlyMap<string, string>): string | undefined {
  const queue = [...(byId.get(id)?.parents ?? [])];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (seen.has(next)) continue;
    seen.add(next);
    if (named.has(next)) return next;
    queue.push(...(byId.get(next)?.parents ?? []));
  }
  return undefined;
}

function buildPack(
  code: string,
  omw: string,
  all: readonly Concept[],
  templates: Record<string, unknown>,
  overrides: Record<string, string>,
) {
  const sources = LANGUAGES[code]!;
  const tables = sources.map((s) => ({ source: s, lemmas: readTab(join(omw, s.file)) }));
  const own = new Map<string, string>();
  const rules: Record<string, number> = {};
  const curatedOnly: string[] = [];
  for (const c of all) {
    const override = overrides[c.id];
    const fromSources = chooseName(tables.map((t) => ({ lemmas: t.lemmas.get(c.id) ?? [], ordered: t.source.ordered })));
    if (override && !fromSources) curatedOnly.push(c.id);
    const chosen = override ? { name: override, rule: 'curated override' } : fromSources;
    if (!chosen) continue;
    own.set(c.id, override ? chosen.name : commonNoun(code, chosen.name));
    rules[chosen.rule] = (rules[chosen.rule] ?? 0) + 1;
  }
  const byId = new Map(all.map((c) => [c.id, c]));
  const borrowed: Record<string, string> = {};
  for (const c of all) {
    if (own.has(c.id)) continue;
    const ancestor = nearestNamed(c.id, byId, own);
    if (ancestor) borrowed[c.id] = ancestor;
  }
  const sorted = (m: Iterable<[string, string]>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
  return {
    lang: code,
    ...templates,
    sources: sources.map(({ file, name, licence }) => ({ name, licence, file: `omw/${file}` })),
    omw_commit: readFileSync(join(omw, 'SOURCE-COMMIT'), 'utf8').trim().split(' ')[0],
    coverage: { concepts: all.length, named: own.size, borrowed: Object.keys(borrowed).length, rules },
    names: sorted(own),
    /** Named only because the curated table names them: the sources have no lemma. */
    curated_only: curatedOnly.sort(),
    borrowed: sorted(Object.entries(borrowed)),
  };
}

function main() {
  const at = process.argv.indexOf('--omw');
  const omw = at > 0 ? process.argv[at + 1]! : projectPath('../shared/data/omw');
  if (!existsSync(join(omw, 'README.md'))) throw new Error(`no OMW data at ${omw} (pass --omw DIR)`);
  const templates = JSON.parse(readFileSync(projectPath('scripts/language-packs/templates.json'), 'utf8'));
  const overrides = JSON.parse(readFileSync(projectPath('scripts/language-packs/overrides.json'), 'utf8'));
  const all = concepts();
  const stale: string[] = [];
  for (const code of Object.keys(LANGUAGES)) {
    const pack = buildPack(code, omw, all, templates[code], overrides[code] ?? {});
    const path = projectPath(`src/caption/languages/${code}.json`);
    const text = `${JSON.stringify(pack, null, 1)}\n`;
    if (process.argv.includes('--check')) {
      if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(path);
      continue;
    }
    writeFileSync(path, text);
    console.log(
      `${code}: ${pack.coverage.named}/${all.length} named, ${pack.coverage.borrowed} borrowed`,
      JSON.stringify(pack.coverage.rules),
    );
  }
  if (stale.length > 0) throw new Error(`stale language packs (run npx tsx scripts/build-language-packs.ts):\n  ${stale.join('\n  ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
