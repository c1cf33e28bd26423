/**
 * Scene text in photos: for every image the captioner calls a photo and did not read (auto mode's look-based rule), the
 * extra work of readSceneText (text detector, then the sure regions read) and what it quotes, with its CPU time.
 * CPU time (process.cpuUsage, every thread) rather than wall time: it holds on a busy machine where latency does not.
 *   npx tsx scripts/measure-scene-text.ts [--env KEY=VALUE ...] [--set devset|textset] [--limit N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readSceneText } from '../src/caption/scene-text.js';
import { createCaptioner } from '../src/captioner.js';
import { loadConfig } from '../src/config.js';
import { projectPath } from '../src/project-root.js';
import { loadRealSet, resolveImage } from '../textset/load-text-set.js';

const cpuMs = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

/** The tuning images of the set: file paths as they resolve on disk. */
function filesOf(set: string): string[] {
  if (set === 'textset') return loadRealSet().map((i) => resolveImage(i.file));
  const labels = JSON.parse(readFileSync(projectPath('devset/labels.json'), 'utf8')) as { images: { file: string }[] };
  return labels.images.map((i) => (i.file.startsWith('/') ? i.file : projectPath(i.file)));
}

const { values } = parseArgs({
  options: {
    env: { type: 'string', multiple: true, default: [] },
    set: { type: 'string', default: 'devset' },
    limit: { type: 'string', default: '100000' },
  },
});
const env = {
  ...process.env,
  ...Object.fromEntries(values.env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
};
const captioner = await createCaptioner(loadConfig(env));
const reader = captioner.models.caption.text;
if (!reader) throw new Error('OCR is off: nothing to measure');
const rows: { file: string; captionMs: number; sceneMs: number; quoted: string; scene: boolean }[] = [];
try {
  for (const file of filesOf(values.set!).slice(0, Number(values.limit))) {
    const bytes = readFileSync(file);
    let from = process.cpuUsage();
    const analysis = await captioner.analyse(bytes);
    const captionMs = cpuMs(from);
    if (analysis.kind !== 'photo') continue;
    from = process.cpuUsage();
    const scene = await readSceneText(reader, await captioner.open(bytes), 'measure');
    const sceneMs = cpuMs(from);
    rows.push({ file, captionMs, sceneMs, quoted: analysis.content, scene: scene !== undefined });
  }
} finally {
  await captioner.close();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
console.log(
  `${rows.length} photos; median CPU ms per photo: caption ${median(rows.map((r) => r.captionMs)).toFixed(0)}, ` +
    `scene-text pass alone ${median(rows.map((r) => r.sceneMs)).toFixed(0)} (caption includes it); ` +
    `text quoted on ${rows.filter((r) => r.quoted).length}, of which by the scene-text pass ${rows.filter((r) => r.scene).length}`,
);
for (const r of rows.filter((x) => x.quoted))
  console.log(`  ${r.scene ? 'scene' : 'look '} ${r.file}: ${JSON.stringify(r.quoted.slice(0, 120))}`);
