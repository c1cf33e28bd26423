/**
 * Build src/caption/basic-level.json: the broader words the alt-text may say when hedging climbs above a model class.
 * Rule: a concept of the caption model's hierarchy is a basic-level word when one of its single-word lemmas was tagged
 * at least MIN_TAGS times in WordNet's sense-tagged corpora (cntlist.rev) in this very sense, and at least MIN_CLASSES
 * of the model's classes lie below it; the word said is that lemma (the most tagged). A short reviewed list then drops
 * words too broad or ambiguous for a reader ("organism", "solid", "vessel") and adds a few common ones the corpora
 * rarely tag ("flower", "musical instrument"). WordNet 3.0 is Princeton's (WordNet 3.0 licence); Debian wordnet-base.
 *   npx tsx scripts/build-basic-level.ts [--wordnet /usr/share/wordnet] [--model models/efficientnet-lite0]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectPath } from '../src/project-root.js';

const MIN_TAGS = 1;
const MIN_CLASSES = 3;

/** Reviewed: true of many images but no help to a reader, or a sense a reader would misread. */
const DROPPED: Record<string, string> = {
  n00001740: 'entity',
  n00002684: 'object',
  n00003553: 'whole',
  n00004475: 'organism',
  n00007347: 'cause',
  n00019613: 'substance',
  n00020827: 'matter',
  n00021939: 'artifact',
  n00022903: 'article',
  n00031921: 'relation',
  n01471682: 'vertebrate',
  n01861778: 'mammal (animal is the word readers use)',
  n02152991: 'game (hunted animals)',
  n02851099: 'screen (a blind)',
  n03076708: 'commodity',
  n03094503: 'container',
  n03100490: 'conveyance',
  n03183080: 'device',
  n03294048: 'equipment',
  n03297735: 'establishment',
  n03546340: 'housing',
  n03563967: 'implement',
  n03574816: 'instrument (a device, not music)',
  n03575240: 'instrumentality',
  n03699975: 'machine',
  n03748162: 'outlet',
  n03839993: 'obstruction',
  n03892891: 'part',
  n03932203: 'piece',
  n04014297: 'protective covering',
  n04317420: 'stick',
  n04341686: 'structure',
  n04377057: 'system',
  n04530566: 'vessel (a ship or a container)',
  n04191943: 'shelter',
  n02796623: 'barrier',
  n09287968: 'geological formation',
  n13809207: 'component',
  n14778436: 'agent',
  n14939900: 'fluid',
  n14940386: 'liquid',
  n15046900: 'solid',
  n07566340: 'sustenance',
  n02891788: 'brass (brass instrument)',
  n03125870: 'craft',
  n03247620: 'drug',
  n03700963: 'machine (simple machine)',
  n04151581: 'screen',
  n04359589: 'support',
  n04437953: 'timepiece',
  n04453910: 'cover (a top)',
  n07570720: 'sustenance',
  n07705711: 'produce',
};

/** Reviewed: common words the corpora rarely tag in this sense. */
const ADDED: Record<string, string> = {
  n03800933: 'musical instrument',
  n11669921: 'flower',
  n07707451: 'vegetable',
  n02924116: 'bus',
  n02274259: 'butterfly',
  n01662784: 'turtle',
  n02008041: 'heron',
};

interface Node {
  id: string;
  name: string;
  parents: string[];
}

/** Synset id -> lemmas, from data.noun. */
function synsetLemmas(wordnet: string): Map<string, string[]> {
  const lemmas = new Map<string, string[]>();
  for (const line of readFileSync(join(wordnet, 'data.noun'), 'utf8').split('\n')) {
    if (!/^\d/.test(line)) continue;
    const f = line.split(' ');
    const count = Number.parseInt(f[3]!, 16);
    lemmas.set(
      `n${f[0]}`,
      Array.from({ length: count }, (_, k) => f[4 + 2 * k]!.toLowerCase()),
    );
  }
  return lemmas;
}

/** `${lemma} ${synset id}` -> times tagged, from index.noun (sense order) and cntlist.rev (sense number, count). */
function senseTags(wordnet: string): Map<string, number> {
  const senses = new Map<string, string[]>();
  for (const line of readFileSync(join(wordnet, 'index.noun'), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const f = line.trim().split(' ');
    senses.set(f[0]!, f.slice(-Number(f[2])));
  }
  const tags = new Map<string, number>();
  for (const line of readFileSync(join(wordnet, 'cntlist.rev'), 'utf8').split('\n')) {
    const [key, sense, count] = line.split(' ');
    const [lemma, rest] = (key ?? '').split('%');
    const offset = senses.get(lemma!)?.[Number(sense) - 1];
    if (!rest?.startsWith('1:') || !offset) continue;
    const at = `${lemma} n${offset}`;
    tags.set(at, (tags.get(at) ?? 0) + Number(count));
  }
  return tags;
}

/** Number of model classes below (or at) each node. */
function classesBelow(nodes: readonly Node[], classes: readonly string[]): Map<string, number> {
  const parents = new Map(nodes.map((n) => [n.id, n.parents]));
  const below = new Map<string, Set<string>>();
  for (const c of classes) {
    const pending = [c];
    const seen = new Set<string>();
    while (pending.length > 0) {
      const id = pending.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      below.set(id, (below.get(id) ?? new Set()).add(c));
      pending.push(...(parents.get(id) ?? []));
    }
  }
  return new Map([...below].map(([id, set]) => [id, set.size]));
}

/** The basic-level words of one hierarchy by the rule and the reviewed lists, id -> English word. */
export function basicLevelWords(nodes: readonly Node[], classes: readonly string[], wordnet: string): Record<string, string> {
  const lemmas = synsetLemmas(wordnet);
  const tags = senseTags(wordnet);
  const below = classesBelow(nodes, classes);
  const words: Record<string, string> = {};
  for (const { id } of nodes) {
    if (id in DROPPED || (below.get(id) ?? 0) < MIN_CLASSES) continue;
    const single = (lemmas.get(id) ?? []).filter((l) => /^[a-z]+$/.test(l));
    const [best] = single.map((l) => ({ l, n: tags.get(`${l} ${id}`) ?? 0 })).sort((a, b) => b.n - a.n);
    if (best && best.n >= MIN_TAGS) words[id] = best.l;
  }
  for (const [id, word] of Object.entries(ADDED)) if (nodes.some((n) => n.id === id)) words[id] = word;
  return Object.fromEntries(Object.entries(words).sort(([a], [b]) => a.localeCompare(b)));
}

if (process.argv[1]?.endsWith('build-basic-level.ts')) {
  const { values } = parseArgs({
    options: {
      wordnet: { type: 'string', default: '/usr/share/wordnet' },
      model: { type: 'string', default: 'models/efficientnet-lite0' },
    },
  });
  const manifest = JSON.parse(readFileSync(projectPath(`${values.model}/model.json`), 'utf8'));
  const classes = (manifest.classes as { id: string }[]).map((c) => c.id);
  const concepts = basicLevelWords(manifest.hierarchy.nodes as Node[], classes, values.wordnet);
  const out = 'src/caption/basic-level.json';
  const description = `Broader words a reader uses, said when hedging climbs above a model class (src/caption/basic-level.ts). Built by npx tsx scripts/build-basic-level.ts from ${values.model}'s hierarchy and WordNet 3.0 (Debian wordnet-base): a concept with a single-word lemma tagged at least ${MIN_TAGS} time(s) in that sense (cntlist.rev) and at least ${MIN_CLASSES} model classes below, less a reviewed list of words too broad or ambiguous, plus a few common words the corpora rarely tag (the lists are in the script).`;
  writeFileSync(projectPath(out), `${JSON.stringify({ description, dropped: DROPPED, added: ADDED, concepts }, null, 1)}\n`);
  console.log(`${Object.keys(concepts).length} basic-level words -> ${out}`);
}
