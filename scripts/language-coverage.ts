/**
 * How well each language pack covers what the service says on the dev set: captions every dev-set image once (models
 * in-process, as scripts/eval-alt-text.ts does), then says it in every language and prints, per language, the share of
 * alt-texts fully in that language (every concept said by its own name, none borrowed from an ancestor or left out), the
 * share of the dev set's concepts and of all concepts with a name, and the names' sources; then sample sentences.
 *   npx tsx scripts/language-coverage.ts [--samples N]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { LISTED_ABSTRACT } from '../src/caption/abstract-concepts.js';
import { sayAnalysis, type ImageAnalysis } from '../src/caption/caption-image.js';
import { conceptName, LANGUAGE_PACKS, type LanguagePack } from '../src/caption/languages/packs.js';
import { sceneEnglish } from '../src/caption/place-scene.js';
import { loadConfig } from '../src/config.js';
import { createCaptioner } from '../src/captioner.js';
import { projectPath } from '../src/project-root.js';
import { loadDevSet, verifyDevSet } from './eval-alt-text.js';

interface Captioned {
  readonly file: string;
  readonly analysis: ImageAnalysis;
}

/** The concepts an alt-text names: none for the plain fallback, nor where a kind other than a drawing leads. */
export function conceptsSaid({ facts, kind }: ImageAnalysis): string[] {
  if (kind !== 'photo' && kind !== 'drawing') return [];
  if (facts.form === 'list') return facts.objects.map((o) => o.id);
  if (facts.form === 'scene') return [facts.scene.id];
  const abstract = facts.label.isRoot || (facts.tooAbstract ?? LISTED_ABSTRACT).has(facts.label.id);
  return abstract ? [] : [facts.label.id];
}

async function captionDevSet(): Promise<Captioned[]> {
  const images = loadDevSet();
  const bytes = verifyDevSet(images);
  const config = loadConfig(process.env);
  const captioner = await createCaptioner(config);
  const out: Captioned[] = [];
  try {
    for (const image of images) out.push({ file: image.file, analysis: await captioner.analyse(bytes.get(image)!) });
  } finally {
    await captioner.close();
  }
  return out;
}

const pct = (n: number, of: number) => `${n}/${of} (${of ? Math.round((100 * n) / of) : 0}%)`;

/** One Markdown row per language. */
function coverageTable(captioned: readonly Captioned[]): string {
  const overrides = JSON.parse(readFileSync(projectPath('scripts/language-packs/overrides.json'), 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  const devConcepts = [...new Set(captioned.flatMap((c) => conceptsSaid(c.analysis)))];
  const rows = [...LANGUAGE_PACKS.values()].map((pack: LanguagePack) => {
    const full = captioned.filter((c) => conceptsSaid(c.analysis).every((id) => pack.names[id] !== undefined)).length;
    const named = devConcepts.filter((id) => pack.names[id] !== undefined);
    const curated = named.filter((id) => overrides[pack.lang]?.[id] !== undefined).length;
    const sourcesAlone = named.filter((id) => !pack.curated_only.includes(id)).length;
    const sources = pack.sources.map((s) => `${s.name} (${s.licence})`).join('; ');
    return `| ${pack.lang} | ${pack.english_name} | ${pct(full, captioned.length)} | ${pct(named.length, devConcepts.length)}, ${curated} curated | ${pct(sourcesAlone, devConcepts.length)} | ${pct(pack.coverage.named, pack.coverage.concepts)} | ${sources} |`;
  });
  return [
    '| lang | language | dev-set alt-texts fully in the language | dev-set concepts with a name | the same without the curated table | all concepts with a name | names from |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Per language, the dev-set concepts it has no own name for (said by an ancestor's name, or left out). */
function unnamed(captioned: readonly Captioned[]): string {
  const english = new Map<string, string>();
  for (const { analysis } of captioned) {
    const { facts } = analysis;
    if (facts.form === 'label') english.set(facts.label.id, facts.label.name);
    else if (facts.form === 'scene') english.set(facts.scene.id, sceneEnglish(facts.scene.id) ?? facts.scene.id);
    else for (const o of facts.objects) english.set(o.id, o.name);
  }
  const said = [...new Set(captioned.flatMap((c) => conceptsSaid(c.analysis)))];
  return [...LANGUAGE_PACKS.values()]
    .map(
      (pack) =>
        `- ${pack.lang}: ${
          said
            .filter((id) => pack.names[id] === undefined)
            .map((id) => `${english.get(id)} (${id}) -> ${conceptName(pack, id) ?? 'left out'}`)
            .join(', ') || 'none'
        }`,
    )
    .join('\n');
}

/** The first `count` photos whose English alt-text names something, said in every language. */
function samples(captioned: readonly Captioned[], count: number): string {
  const chosen = captioned.filter((c) => c.analysis.kind === 'photo' && conceptsSaid(c.analysis).length > 0).slice(0, count);
  return chosen
    .map((c) =>
      [
        `**${c.file.split('/').slice(-2).join('/')}**`,
        '',
        `- en: ${sayAnalysis(c.analysis).alt_text}`,
        ...[...LANGUAGE_PACKS.keys()].map((lang) => `- ${lang}: ${sayAnalysis(c.analysis, lang).alt_text}`),
      ].join('\n'),
    )
    .join('\n\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--samples');
  const captioned = await captionDevSet();
  console.log(
    `Dev set: ${captioned.length} images\n\n${coverageTable(captioned)}\n\nWithout a name of their own:\n\n${unnamed(captioned)}\n\n${samples(captioned, at > 0 ? Number(process.argv[at + 1]) : 5)}`,
  );
}
