/**
 * Text read from the text sets' images turned a half turn (or as stored with --turn 0), as the service reads it
 * (in-process captioner, IMGSENSE_OCR_MODE=scene, features text_always): per set, the truth words read (each counted
 * once, any order) and the tokens read that the truth lacks (junk tokens, textset/score-text.ts).
 * docs/alt-text-quality.md, "Upside-down lines".
 *   npx tsx scripts/measure-upside-down-text.ts [--turn 180] [--json out.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createCaptioner } from '../src/captioner.js';
import { loadConfig } from '../src/config.js';
import { loadRealSet, resolveImage } from '../textset/load-text-set.js';
import { commonWordCount, junkTokens, words } from '../textset/score-text.js';
import { ensureRenderedSet } from '../textset/render-text-set.js';

const { values } = parseArgs({ options: { turn: { type: 'string', default: '180' }, json: { type: 'string' } } });
const turn = Number(values.turn);
/** Truth words read (each once, any order) and tokens read that the truth lacks, over one set (textset/score-text.ts). */
function tally(rows: readonly { truth: string; content: string }[]) {
  let truth = 0;
  let read = 0;
  let extra = 0;
  for (const row of rows) {
    const truthWords = words(row.truth.toLowerCase());
    truth += truthWords.length;
    read += commonWordCount(truthWords, words(row.content.toLowerCase()));
    extra += junkTokens(row.truth, row.content).length;
  }
  return { truth, read, extra };
}

const sets = [
  ['rendered', (await ensureRenderedSet()).map((i) => ({ file: i.file, truth: i.lines.join('\n') }))],
  ['real', loadRealSet().map((i) => ({ file: i.file, truth: i.text.lines.join('\n') }))],
] as const;
const captioner = await createCaptioner(loadConfig({ ...process.env, LOG_LEVEL: 'silent', IMGSENSE_OCR_MODE: 'scene' }));
const out: { set: string; file: string; truth: string; content: string }[] = [];
try {
  for (const [set, items] of sets) {
    for (const item of items) {
      const bytes = readFileSync(resolveImage(item.file));
      const body = turn ? await sharp(bytes).rotate(turn).png().toBuffer() : bytes;
      const response = await captioner.caption(body, { text: 'always' });
      out.push({ set, file: item.file, truth: item.truth, content: response.text?.content ?? '' });
    }
  }
} finally {
  await captioner.close();
}
if (values.json) writeFileSync(values.json, `${JSON.stringify(out, null, 1)}\n`);
for (const [set] of sets) {
  const t = tally(out.filter((r) => r.set === set && r.truth.length > 0));
  console.log(
    `${set}, turned ${turn}: truth words read ${t.read} / ${t.truth} (${((100 * t.read) / t.truth).toFixed(1)}%), tokens not in the truth ${t.extra}`,
  );
}
