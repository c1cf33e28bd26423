/**
 * OCR and image-kind quality on the text sets (textset/: rendered images of known text, real images transcribed by
 * hand): boots the models in-process as the server does, captions every image through createCaptioner, saves the run and
 * prints the figures (textset/score-ocr-run.ts) with the time each image took.
 *   npx tsx scripts/eval-text.ts [--env KEY=VALUE ...] [--json run.json]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { CaptionResponse } from '../src/caption/caption-image.js';
import { createCaptioner } from '../src/captioner.js';
import { loadConfig } from '../src/config.js';
import { loadRealSet, resolveImage } from '../textset/load-text-set.js';
import { ensureRenderedSet } from '../textset/render-text-set.js';

export interface TextRun {
  models: string;
  results: {
    file: string;
    text: { content: string; lines: { text: string }[] };
    kind: string;
    altText: string;
    ms: number;
    read: boolean;
  }[];
}

/** Caption every image of both text sets; `file` keys as the sets' manifests give them. */
export async function evaluateTextSets(env: Record<string, string | undefined>): Promise<TextRun> {
  const config = loadConfig(env);
  const files = [...(await ensureRenderedSet()).map((i) => i.file), ...loadRealSet().map((i) => i.file)];
  const captioner = await createCaptioner(config);
  const { models } = captioner;
  const results: TextRun['results'] = [];
  try {
    for (const file of files) {
      const bytes = readFileSync(resolveImage(file));
      const started = performance.now();
      const response: CaptionResponse = await captioner.caption(bytes);
      const ms = performance.now() - started;
      const text = response.text ?? { content: '', lines: [], read: false };
      results.push({
        file,
        text: { content: text.content, lines: text.lines },
        kind: response.kind,
        altText: response.alt_text,
        ms,
        read: text.read,
      });
    }
  } finally {
    await captioner.close();
  }
  return { models: models.bundles.map(({ manifest }) => `${manifest.name} ${manifest.version}`).join(' + '), results };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { env: { type: 'string', multiple: true, default: [] }, json: { type: 'string', default: 'text-run.json' } },
  });
  const env = {
    ...process.env,
    ...Object.fromEntries(values.env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
  };
  const run = await evaluateTextSets(env);
  writeFileSync(values.json, `${JSON.stringify(run, null, 1)}\n`);
  console.log(`${run.results.length} images; ${run.models}; run saved to ${values.json}\n`);
  spawnSync(process.execPath, ['--import', 'tsx', 'textset/score-ocr-run.ts', values.json], { stdio: 'inherit' });
  const read = run.results
    .filter((r) => r.read)
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  const skipped = run.results
    .filter((r) => !r.read)
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  const at = (xs: number[], q: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!.toFixed(0) : '–');
  console.log(
    `\ntime per image, decode to response, concurrency 1: text read ${read.length} images, p50 ${at(read, 0.5)} ms, p90 ${at(read, 0.9)} ms, max ${at(read, 1)} ms; ` +
      `OCR skipped ${skipped.length} images, p50 ${at(skipped, 0.5)} ms`,
  );
  for (const r of run.results.filter((x) => x.ms > 1000))
    console.log(`  over 1 s: ${r.file} ${r.ms.toFixed(0)} ms, ${r.text.lines.length} lines`);
}
