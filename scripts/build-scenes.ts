/**
 * Build the scene vocabulary (src/caption/scenes.json): a few scenes, each gathering the classifier's classes that lie
 * under one of its anchor synsets in WordNet 3.0 (hypernyms and instance hypernyms, read from /usr/share/wordnet).
 *   npx tsx scripts/build-scenes.ts [--wordnet DIR] [--check]   (--check: fail if the committed file differs, write nothing)
 * A class goes to the first scene, in the order below, with an anchor among its ancestors (or the class itself), so a
 * lakeside is a lake before it is a shore and a restaurant a room before it is a building. A scene is named by one
 * synset (the language packs name it from the Open Multilingual Wordnet) and by an English phrase. A broader scene also
 * gathers the classes of the scenes it includes, so the service can say the broader one where no narrower one is sure.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../src/project-root.js';

interface SceneSpec {
  /** The synset that names the scene. */
  readonly id: string;
  /** The scene as English says it after "An image of". */
  readonly english: string;
  /** Said when the summed probability of its classes reaches this (chosen on the tuning part: scripts/measure-scenes.ts). */
  readonly from: number;
  /** Classes under any of these synsets are gathered into the scene. */
  readonly anchors: readonly string[];
  /** Classes under these are not, though an anchor covers them. */
  readonly except?: readonly string[];
  /** Scenes whose classes this broader scene gathers too (a coast is a landscape). */
  readonly includes?: readonly string[];
}

/**
 * The scenes, first match wins. Anchors are WordNet 3.0 noun offsets; the comment says the lemma. Each scene's `from`
 * is the lowest of 0.5, 0.6, 0.7 at which its precision on the tuning part is 0.9 or more with at least 2 photos right
 * (scripts/measure-scenes.ts prints the choice); a scene with no such evidence keeps 0.7, the threshold chosen for all
 * scenes at first. A place of worship is not a scene: its classes (church, mosque, stupa, monastery) reach 0.7 for an
 * amphitheatre, a fort and a pavilion (1 of 5 right on the tuning part, no threshold at 0.9), so they say "a building".
 */
const SCENES: readonly SceneSpec[] = [
  // lakeside
  { id: 'n09332890', english: 'a lakeside', anchors: ['n09332890'], from: 0.7 },
  // seashore, coast: shore (seashore), sandbar, promontory ("especially a rocky one that juts out into the sea")
  { id: 'n09428293', english: 'a coast', anchors: ['n09433442', 'n09421951', 'n09399592'], from: 0.7 },
  // mountain (alp, volcano), cliff
  { id: 'n09359803', english: 'a mountain landscape', anchors: ['n09359803', 'n09246464'], from: 0.6 },
  // landscape: any other geological formation (valley, geyser), but not a coral reef (under water); rapeseed and hay fields
  {
    id: 'n08646902',
    english: 'a landscape',
    anchors: ['n09287968', 'n11879895', 'n07802026'],
    except: ['n09256479'],
    includes: ['n09332890', 'n09428293', 'n09359803'],
    from: 0.5,
  },
  // shop: mercantile establishment (bakery, bookshop, butcher shop, toy shop...)
  { id: 'n04202417', english: 'a shop', anchors: ['n03748162'], from: 0.7 },
  // room; the classes photographed inside: restaurant, library, home theater
  { id: 'n04105893', english: 'a room', anchors: ['n04105893', 'n04081281', 'n03661043', 'n03529860'], from: 0.7 },
  // building, palace (residence), fortification (castle), memorial (triumphal arch), tower, bridge, roof (tile roof,
  // dome: seen from outside, unlike a building's other parts), bell cote, place of worship (church, mosque, stupa),
  // monastery; not a brass plaque
  {
    id: 'n02913152',
    english: 'a building',
    anchors: ['n02913152', 'n04079244', 'n03385557', 'n03743902', 'n04460130', 'n02898711', 'n04105068', 'n02825657', 'n03781244'],
    except: ['n02892201'],
    from: 0.5,
  },
];

/** synset id -> its hypernyms and instance hypernyms, from WordNet's data.noun. */
function readHypernyms(wordnet: string): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const line of readFileSync(join(wordnet, 'data.noun'), 'latin1').split('\n')) {
    if (line.startsWith(' ') || line.length === 0) continue;
    const fields = line.split(' | ')[0]!.split(' ');
    const words = parseInt(fields[3]!, 16);
    const at = 4 + 2 * words;
    const pointers = parseInt(fields[at]!, 10);
    const up: string[] = [];
    for (let p = 0; p < pointers; p++) {
      const [symbol, offset, pos] = fields.slice(at + 1 + 4 * p, at + 5 + 4 * p);
      if ((symbol === '@' || symbol === '@i') && pos === 'n') up.push(`n${offset}`);
    }
    parents.set(`n${fields[0]}`, up);
  }
  return parents;
}

/** The synset and every ancestor above it. */
function ancestry(id: string, parents: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const queue = [id];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(parents.get(next) ?? []));
  }
  return seen;
}

/** The vocabulary: each scene with the classifier's classes it gathers. */
function buildScenes(wordnet: string) {
  const parents = readHypernyms(wordnet);
  const model = JSON.parse(readFileSync(projectPath('models/efficientnet-lite0/model.json'), 'utf8'));
  const classes = model.classes as { id: string; name: string }[];
  const gathered = new Map<string, { id: string; name: string }[]>(SCENES.map((s) => [s.id, []]));
  for (const c of classes) {
    const above = ancestry(c.id, parents);
    const scene = SCENES.find((s) => s.anchors.some((a) => above.has(a)) && !s.except?.some((e) => above.has(e)));
    if (scene) gathered.get(scene.id)!.push(c);
  }
  return {
    description:
      'Scenes the alt-text can say, each gathering the classifier classes under its anchor synsets in WordNet 3.0. Built by scripts/build-scenes.ts: do not edit.',
    classifier: `${model.name} ${model.version}`,
    scenes: SCENES.map((s) => ({ ...s, classes: [s.id, ...(s.includes ?? [])].flatMap((id) => gathered.get(id)!) })),
  };
}

function main() {
  const at = process.argv.indexOf('--wordnet');
  const wordnet = at > 0 ? process.argv[at + 1]! : '/usr/share/wordnet';
  if (!existsSync(join(wordnet, 'data.noun'))) throw new Error(`no WordNet at ${wordnet} (Debian wordnet-base, or pass --wordnet DIR)`);
  const text = `${JSON.stringify(buildScenes(wordnet), null, 1)}\n`;
  const path = projectPath('src/caption/scenes.json');
  if (process.argv.includes('--check')) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) throw new Error(`stale ${path} (run npx tsx scripts/build-scenes.ts)`);
    return;
  }
  writeFileSync(path, text);
  const scenes = JSON.parse(text).scenes as { english: string; classes: { name: string }[] }[];
  for (const s of scenes) console.log(`${s.english}: ${s.classes.map((c) => c.name).join(', ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
