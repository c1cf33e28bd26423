/**
 * Prints the text sets' figures for one OCR run saved as JSON: {"results": [{"file", "text": {content, lines}, "kind"?}]},
 * `file` as textset/rendered/manifest.json and textset/real.json give it. Usage: npx tsx textset/score-ocr-run.ts RUN.json
 */
import { readFileSync } from 'node:fs';
import { loadRealSet, loadRenderedSet } from './load-text-set.js';
import type { TextSummary } from './score-text.js';
import { reportTextSets, type ImageResult } from './text-report.js';

const percent = (rate: number) => (Number.isNaN(rate) ? '–' : `${(100 * rate).toFixed(1)}%`);

/** One table row: images, CER (case kept / ignored), word accuracy, any-order word recall, spurious text, junk tokens. */
function row(name: string, summary: TextSummary): string {
  return (
    `| ${name} | ${summary.imagesWithText} / ${summary.images} | ${percent(summary.cer)} | ${percent(summary.cerIgnoringCase)} | ` +
    `${percent(summary.wordAccuracy)} | ${percent(summary.wordRecallAnyOrder)} | ${summary.spuriousText} | ` +
    `${summary.junkTokens} / ${summary.ocrTokens} | ${summary.imagesWithJunk} |`
  );
}

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npx tsx textset/score-ocr-run.ts RUN.json');
  const run = JSON.parse(readFileSync(file, 'utf8')) as { results: (ImageResult & { file: string })[] };
  const results = new Map(run.results.map(({ file: key, ...result }) => [key, result]));
  const report = reportTextSets(loadRenderedSet(), loadRealSet(), results);
  const lines = [
    '| set | images with text / all | CER | CER, case ignored | word accuracy | words in any order | spurious text | tokens not in the truth / read | images with any |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  lines.push(row('rendered, all', report.rendered.all), row('rendered, clean, >= 16 px', report.rendered.clean16));
  for (const [size, summary] of report.rendered.bySize) lines.push(row(`rendered, ${size} px`, summary));
  for (const [size, summary] of report.rendered.cleanBySize) lines.push(row(`rendered, clean, ${size} px`, summary));
  for (const [fontClass, summary] of report.rendered.byFontClass) lines.push(row(`rendered, ${fontClass}`, summary));
  for (const [style, summary] of report.rendered.byStyle) lines.push(row(`rendered, ${style}`, summary));
  lines.push(row('real, complete transcriptions', report.real.complete), row('real, partial (word figures only)', report.real.partial));
  for (const [kind, summary] of report.real.byKind) lines.push(row(`real, ${kind}`, summary));
  console.log(lines.join('\n'));
  if (report.kinds) {
    const { counts, truthKinds, predictedKinds, images, exact, accepted, calledPhoto } = report.kinds;
    console.log(`\n| truth \\ predicted | ${predictedKinds.join(' | ')} |\n| --- |${' --- |'.repeat(predictedKinds.length)}`);
    for (const truth of truthKinds) console.log(`| ${truth} | ${predictedKinds.map((kind) => counts[truth]![kind]).join(' | ')} |`);
    console.log(`\nkinds: ${exact} / ${images} exact, ${accepted} / ${images} acceptable, ${calledPhoto} non-photos called a photo`);
  }
  if (report.missing.length) console.log(`\n${report.missing.length} images have no result, e.g. ${report.missing[0]}`);
}

main();
