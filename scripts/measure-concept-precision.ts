/**
 * Per-concept precision on the tuning part (devset/labels.json + devset/tuning-more.json, never the held-out part):
 * captions every image with claims as hedged and detected (claims=raw), judges each object or label the alt-text names
 * and every broader concept above it, and writes src/caption/concept-precision.json, which hold-claims.ts reads.
 *   npx tsx scripts/measure-concept-precision.ts [--env KEY=VALUE ...] [--records out.json | --from records.json]
 *     [--out src/caption/concept-precision.json] [--target 0.9] [--min-support 3]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hierarchy } from '../src/bundle/hierarchy.js';
import { tooAbstractConcepts } from '../src/caption/abstract-concepts.js';
import { firstParentPath } from '../src/caption/basic-level.js';
import { bandOf, type ClaimSource, type ConceptPrecision, type Tally } from '../src/caption/hold-claims.js';
import { claimKindOf, type ClaimKind } from '../src/caption/claims-by-kind.js';
import type { ImageKind } from '../src/caption/image-kind.js';
import { createCaptioner } from '../src/captioner.js';
import { decodeImage } from '../src/image/decode.js';
import { loadConfig } from '../src/config.js';
import { projectPath } from '../src/project-root.js';
import { normalise, scoreAltText, WORDNET, type DevImage } from '../devset/score-alt-text.js';
import { ancestry, verifyDevSet } from './eval-alt-text.js';

export const TUNING_SETS = ['devset/labels.json', 'devset/tuning-more.json'] as const;

export type Verdict = 'right' | 'vague' | 'wrong' | 'abstract';

/** The claim kind of one image as the service decides it (claims-by-kind.ts): its answered kind, and transparency. */
async function claimKindOfImage(bytes: Buffer, answered: ImageKind): Promise<ClaimKind> {
  const raw = await decodeImage(bytes, { maxPixels: 100_000_000, workingShorterSide: 64 });
  return claimKindOf(answered, raw.alpha !== undefined);
}

/** One object or label an alt-text names, and the verdict on it and on each concept above it (root first). */
export interface ClaimRecord {
  readonly file: string;
  readonly source: ClaimSource;
  readonly score: number;
  /** The kind of image the claim was made on: a cut-out (transparent pixels), else the kind the service answered. */
  readonly kind?: ClaimKind;
  readonly path: readonly { readonly id: string; readonly name: string; readonly verdict: Verdict }[];
}

/**
 * A concept is right when the scorer's terms name it, or when it is a WordNet ancestor of a concept they name ("a
 * vehicle" where "truck" is acceptable: the labels list what is there, not every hypernym); vague where they call it
 * vague; abstract where the service would not say it (too-abstract.json or the root).
 */
export function judgeConcept(image: DevImage, id: string, name: string, hierarchy: Hierarchy, abstract: ReadonlySet<string>): Verdict {
  if (abstract.has(id) || id === hierarchy.ids[hierarchy.root]) return 'abstract';
  const terms = new Set([...image.subjects, ...image.acceptable].map(normalise));
  if (terms.has(normalise(name))) return 'right';
  if ((image.vague ?? []).map(normalise).includes(normalise(name))) return 'vague';
  const isUnder = ancestry(hierarchy);
  const named = hierarchy.ids.filter((_, node) => terms.has(normalise(hierarchy.names[node]!)));
  return named.some((below) => isUnder(below, id)) ? 'right' : 'wrong';
}

/** Caption the tuning part with every claim kept and record each named object or label with its judged path. */
async function collect(env: Record<string, string | undefined>, responses: unknown[]): Promise<ClaimRecord[]> {
  const images = TUNING_SETS.flatMap((file) => (JSON.parse(readFileSync(projectPath(file), 'utf8')) as { images: DevImage[] }).images);
  const bytes = verifyDevSet(images);
  const captioner = await createCaptioner(loadConfig(env));
  const hierarchy = captioner.models.caption.classifier.bundle.hierarchy!;
  const isUnder = ancestry(hierarchy);
  const abstract = tooAbstractConcepts(hierarchy);
  const records: ClaimRecord[] = [];
  try {
    for (const image of images) {
      const response = await captioner.caption(bytes.get(image)!, { claims: 'raw' });
      const kind = await claimKindOfImage(bytes.get(image)!, response.kind);
      responses.push({ file: image.file, kind, alt_text: response.alt_text, objects: response.objects ?? [] });
      const ids = new Map([...response.labels, ...(response.objects ?? []), response.label].map(({ name, id }) => [name, id]));
      const { named } = scoreAltText(image, { altText: response.alt_text, ids }, isUnder);
      for (const item of named) {
        if (item.frame || !item.id || isUnder(item.id, WORDNET.person)) continue;
        const fromLabel = item.id === response.label.id;
        const object = response.objects?.find((o) => o.id === item.id);
        const ids = fromLabel ? response.label.path : firstParentPath(hierarchy, item.id);
        if (!ids || (!fromLabel && !object)) continue;
        const path = ids.map((id) => {
          const name = hierarchy.names[hierarchy.ids.indexOf(id)]!;
          return { id, name, verdict: judgeConcept(image, id, name, hierarchy, abstract) };
        });
        records.push({
          file: image.file,
          source: fromLabel ? 'classifier' : 'detector',
          score: fromLabel ? response.label.score : object!.score,
          kind,
          path,
        });
      }
    }
  } finally {
    await captioner.close();
  }
  return records;
}

const add = (table: Record<string, Tally>, key: string, right: boolean) => {
  const t = table[key] ?? { n: 0, right: 0 };
  table[key] = { n: t.n + 1, right: t.right + Number(right) };
};

/** Tally the records: per concept (said, or above one said) and pooled by source and score band, and by source for broader concepts. */
export function tabulate(records: readonly ClaimRecord[], rule: ConceptPrecision['rule']): ConceptPrecision {
  const concepts: Record<string, Tally & { name?: string }> = {};
  const pooled: Record<string, Tally> = {};
  const base = { rule, concepts, pooled };
  for (const record of records) {
    record.path.forEach((node, i) => {
      if (node.verdict === 'abstract' || node.verdict === 'vague') return; // neither said nor a claim that can be wrong
      const right = node.verdict === 'right';
      add(concepts, node.id, right);
      concepts[node.id] = { name: node.name, ...concepts[node.id]! };
      const said = i === record.path.length - 1;
      add(pooled, said ? `${record.source}:${bandOf(base, record.source, record.score)}` : `${record.source}:broader`, right);
    });
  }
  return base;
}

/** The said noun's verdicts by claim kind, source and score band (the bands of claim-bands.json and one either side). */
export function bandsByKind(records: readonly ClaimRecord[]): Record<string, Record<Verdict, number>> {
  const edges = [0.9, 0.8, 0.7, 0.6];
  const table: Record<string, Record<Verdict, number>> = {};
  for (const record of records) {
    const from = edges.find((edge) => record.score >= edge);
    const key = `${record.kind ?? '?'}:${record.source}:${from === undefined ? '<0.6' : `>=${from}`}`;
    table[key] ??= { right: 0, vague: 0, wrong: 0, abstract: 0 };
    table[key][record.path.at(-1)!.verdict] += 1;
  }
  return table;
}

function parseArgs(argv: readonly string[]) {
  const env: Record<string, string> = {};
  const args = {
    records: undefined as string | undefined,
    from: undefined as string | undefined,
    responses: undefined as string | undefined,
    out: 'src/caption/concept-precision.json',
    target: 0.9,
    minSupport: 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--records') args.records = argv[++i];
    else if (arg === '--from') args.from = argv[++i];
    else if (arg === '--responses') args.responses = argv[++i];
    else if (arg === '--out') args.out = argv[++i]!;
    else if (arg === '--target') args.target = Number(argv[++i]);
    else if (arg === '--min-support') args.minSupport = Number(argv[++i]);
    else if (arg === '--env') {
      while (argv[i + 1] && !argv[i + 1]!.startsWith('--')) {
        const [key, ...value] = argv[++i]!.split('=');
        env[key!] = value.join('=');
      }
    } else throw new Error(`unknown argument ${arg}`);
  }
  return { env, ...args };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = parseArgs(process.argv.slice(2));
  const responses: unknown[] = [];
  const records = args.from
    ? (JSON.parse(readFileSync(args.from, 'utf8')) as ClaimRecord[])
    : await collect({ ...process.env, ...args.env }, responses);
  if (args.records) writeFileSync(args.records, `${JSON.stringify(records, null, 1)}\n`);
  if (args.responses) writeFileSync(args.responses, `${JSON.stringify(responses, null, 1)}\n`);
  // Bands where the tuning part shows a step: the classifier's label was right 11 of 11 times from 0.8, 5 of 10 below; the
  // detector's objects show none (wrong at 0.60-0.70, right from 0.45 to 0.82), so they are one pool.
  const rule = { target: args.target, min_support: args.minSupport, bands: { classifier: [0.8, 0], detector: [0] } };
  const table = tabulate(records, rule);
  const description = `Measured by scripts/measure-concept-precision.ts on the tuning part (${TUNING_SETS.join(' + ')}), ${records.length} claims; read by src/caption/hold-claims.ts. Chosen and explained in docs/alt-text-quality.md, "Per concept".`;
  writeFileSync(isAbsolute(args.out) ? args.out : projectPath(args.out), `${JSON.stringify({ description, ...table }, null, 1)}\n`);
  for (const [key, t] of Object.entries(table.pooled).sort()) console.log(`${key}\t${t.right}/${t.n}`);
  console.log('kind:source:band\tright vague wrong abstract (the said noun, judged by the labels)');
  for (const [key, v] of Object.entries(bandsByKind(records)).sort()) console.log(`${key}\t${v.right} ${v.vague} ${v.wrong} ${v.abstract}`);
}
