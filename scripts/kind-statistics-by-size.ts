/**
 * The image statistics and the two decisions they make (rendered, on paper white) for every labelled image at several
 * working sizes, over all samples and without a cut-out's surround: one TSV row per image, for choosing kind-rules.json
 * on the tuning parts (docs/performance.md, the image path; docs/alt-text-quality.md, cut-outs).
 *   npx tsx scripts/kind-statistics-by-size.ts [--sizes 512,288,256] [--heldout] > stats.tsv
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { looksRendered, onPaper } from '../src/caption/image-kind.js';
import { decodeImage } from '../src/image/decode.js';
import { imageStatistics } from '../src/image/image-statistics.js';
import { loadRealSet, resolveImage } from '../textset/load-text-set.js';
import { ensureRenderedSet } from '../textset/render-text-set.js';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '512,288,256' }, heldout: { type: 'boolean', default: false } },
});
const sizes = values.sizes.split(',').map(Number);

interface Row {
  set: string;
  file: string;
  kind: string;
  subkind: string;
  transparent: boolean;
}

async function labelled(file: string, set: string): Promise<Row[]> {
  const { images } = JSON.parse(await readFile(file, 'utf8')) as {
    images: { file: string; kind: string; subkind?: string; transparent?: boolean }[];
  };
  return images.map((i) => ({ set, file: i.file, kind: i.kind, subkind: i.subkind ?? '', transparent: i.transparent === true }));
}

const rows = [
  ...(await labelled('devset/labels.json', 'labels')),
  ...(await labelled('devset/tuning-more.json', 'tuning-more')),
  ...(await ensureRenderedSet()).map((i) => ({
    set: 'rendered',
    file: resolveImage(i.file),
    kind: i.kind,
    subkind: 'graphic',
    transparent: false,
  })),
  ...loadRealSet().map((i) => ({ set: 'real', file: resolveImage(i.file), kind: i.kind, subkind: '', transparent: false })),
  ...(values.heldout ? await labelled('devset/heldout.json', 'heldout') : []),
];
const cell = (s: ReturnType<typeof imageStatistics>) =>
  `${looksRendered(s) ? 'R' : '-'}${onPaper(s) ? 'P' : '-'} ${s.exact.toFixed(3)} ${s.gradual.toFixed(3)} ${s.white.toFixed(3)}`;
const variants = sizes.flatMap((size) => [`${size} all`, `${size} subject`]);
console.log(['set', 'kind', 'subkind', 'transparent', ...variants, 'file'].join('\t'));
for (const row of rows) {
  const bytes = await readFile(row.file);
  const cells: string[] = [];
  for (const size of sizes) {
    const image = await decodeImage(bytes, { maxPixels: 100_000_000, workingShorterSide: size });
    cells.push(cell(imageStatistics(image)), cell(imageStatistics(image, { withoutSurround: true })));
  }
  console.log([row.set, row.kind, row.subkind, row.transparent, ...cells, row.file].join('\t'));
}
