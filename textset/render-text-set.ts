/**
 * Renders the rendered text set (textset/rendered-specs.ts) to textset/rendered/*.png with sharp's SVG text (librsvg,
 * fontconfig) and writes its manifest. `--check` renders in memory and compares with the committed manifest instead.
 * Usage: npx tsx textset/render-text-set.ts [--check]; from code, ensureRenderedSet() renders only when PNGs are missing.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import { FONTS, SKIMAGE_DATA, renderSpecs, type RenderSpec } from './rendered-specs.js';
import {
  RENDERED_DIR,
  RENDERED_MANIFEST,
  loadRenderedSet,
  resolveImage,
  type RenderedImage,
  type RenderedManifest,
} from './load-text-set.js';

const TITLE_BAR = 28;
const MIN_PHOTO = { width: 320, height: 180 };

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fontSizeOf(spec: RenderSpec): number {
  return Math.round((spec.capHeight / spec.font.capRatio) * 10) / 10;
}

/** The text alone, on a transparent canvas large enough for any rotation; trimmed by the caller. */
function textSvg(spec: RenderSpec, fontSize: number): string {
  const lineHeight = fontSize * 1.35;
  const longest = Math.max(...spec.lines.map((line) => line.length));
  const side = Math.ceil(Math.max(longest * fontSize * 0.75, spec.lines.length * lineHeight) + 4 * fontSize);
  const x = spec.align === 'middle' ? side / 2 : 2 * fontSize;
  const top = (side - spec.lines.length * lineHeight) / 2 + fontSize;
  const outline =
    spec.style === 'photo'
      ? ` stroke="#000000" stroke-width="${Math.max(1, fontSize * 0.08).toFixed(2)}" stroke-linejoin="round" paint-order="stroke"`
      : '';
  const lines = spec.lines.map(
    (line, i) => `<text x="${x}" y="${(top + i * lineHeight).toFixed(2)}" text-anchor="${spec.align}">${escapeXml(line)}</text>`,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}">` +
    `<g transform="rotate(${spec.rotation} ${side / 2} ${side / 2})" font-family="${spec.font.family}" font-size="${fontSize}" ` +
    `fill="${spec.foreground}"${outline}>${lines.join('')}</g></svg>`
  );
}

function padding(spec: RenderSpec, fontSize: number): { x: number; y: number } {
  if (spec.style === 'document') return { x: Math.max(24, Math.round(3 * fontSize)), y: Math.max(24, Math.round(2.5 * fontSize)) };
  return { x: Math.max(8, Math.round(fontSize)), y: Math.max(8, Math.round(0.8 * fontSize)) };
}

async function background(spec: RenderSpec, width: number, height: number): Promise<Sharp> {
  if (spec.photo)
    return sharp(path.join(SKIMAGE_DATA, spec.photo)).resize(width, height, { fit: 'cover' }).removeAlpha().toColourspace('srgb');
  return sharp({ create: { width, height, channels: 3, background: spec.background } });
}

const titleBarSvg = (width: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${TITLE_BAR}"><rect width="${width}" height="${TITLE_BAR}" fill="#2d2d2d"/>` +
  ['#ff5f56', '#ffbd2e', '#27c93f'].map((fill, i) => `<circle cx="${16 + i * 20}" cy="14" r="6" fill="${fill}"/>`).join('') +
  '</svg>';

/** One spec to PNG bytes and its manifest entry. */
async function renderOne(spec: RenderSpec): Promise<{ png: Buffer; entry: RenderedImage }> {
  const fontSize = fontSizeOf(spec);
  const { data: text, info } = await sharp(Buffer.from(textSvg(spec, fontSize)))
    .trim()
    .png()
    .toBuffer({ resolveWithObject: true });
  const pad = padding(spec, fontSize);
  const bar = spec.style === 'terminal' ? TITLE_BAR : 0;
  let width = info.width + 2 * pad.x;
  let height = info.height + 2 * pad.y + bar;
  if (spec.photo) [width, height] = [Math.max(width, MIN_PHOTO.width), Math.max(height, MIN_PHOTO.height)];
  const layers: OverlayOptions[] = [
    { input: text, left: Math.round((width - info.width) / 2), top: bar + Math.round((height - bar - info.height) / 2) },
  ];
  if (bar) layers.unshift({ input: Buffer.from(titleBarSvg(width)), left: 0, top: 0 });
  const png = await (await background(spec, width, height)).composite(layers).png({ compressionLevel: 9 }).toBuffer();
  const file = `${RENDERED_DIR}/${spec.id}.png`;
  const entry: RenderedImage = {
    id: spec.id,
    file,
    width,
    height,
    sha256: createHash('sha256').update(png).digest('hex'),
    lines: spec.lines,
    font: { family: spec.font.family, class: spec.font.class, package: spec.font.package },
    font_size_px: fontSize,
    cap_height_px: spec.capHeight,
    style: spec.style,
    foreground: spec.foreground,
    background: spec.background,
    ...(spec.photo ? { photo: { file: path.join(SKIMAGE_DATA, spec.photo), package: 'python3-skimage' } } : {}),
    rotation_deg: spec.rotation,
    kind: spec.kind,
    acceptable_kinds: spec.acceptableKinds,
    clean: spec.clean,
  };
  return { png, entry };
}

function debianVersion(pkg: string): string {
  try {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format string, not a template.
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' });
  } catch {
    return 'not installed';
  }
}

const PACKAGES = [...new Set([...FONTS.map((font) => font.package), 'python3-skimage'])];

async function renderAll(): Promise<{ png: Buffer; entry: RenderedImage }[]> {
  const missing = PACKAGES.filter((pkg) => debianVersion(pkg) === 'not installed');
  if (missing.length) throw new Error(`install ${missing.join(', ')} first: bash textset/install.sh`);
  const rendered = [];
  for (const spec of renderSpecs()) rendered.push(await renderOne(spec));
  return rendered;
}

async function writeImages(rendered: readonly { png: Buffer; entry: RenderedImage }[]): Promise<void> {
  await mkdir(resolveImage(RENDERED_DIR), { recursive: true });
  for (const { png, entry } of rendered) await writeFile(resolveImage(entry.file), png);
}

/** Ids whose render differs from the committed manifest's sha256. */
async function differFromManifest(rendered: readonly { entry: RenderedImage }[]): Promise<string[]> {
  const committed = JSON.parse(await readFile(resolveImage(RENDERED_MANIFEST), 'utf8')) as RenderedManifest;
  const bySha = new Map(committed.images.map((image) => [image.id, image.sha256]));
  return rendered.filter(({ entry }) => bySha.get(entry.id) !== entry.sha256).map(({ entry }) => entry.id);
}

/** The rendered set, drawing the PNGs first when any is missing (the committed manifest stays the truth). */
export async function ensureRenderedSet(): Promise<RenderedImage[]> {
  const committed = JSON.parse(await readFile(resolveImage(RENDERED_MANIFEST), 'utf8')) as RenderedManifest;
  if (committed.images.some((image) => !existsSync(resolveImage(image.file)))) {
    const rendered = await renderAll();
    const differ = await differFromManifest(rendered);
    if (differ.length)
      console.warn(`render-text-set: ${differ.length} images differ in pixels from the manifest (${differ[0]}, …); the text is the same`);
    await writeImages(rendered);
  }
  return loadRenderedSet();
}

async function main(): Promise<void> {
  const rendered = await renderAll();
  if (process.argv.includes('--check')) {
    const differ = await differFromManifest(rendered);
    console.log(
      differ.length
        ? `render-text-set: ${differ.length} images differ from the manifest: ${differ.join(', ')}`
        : 'render-text-set: every image matches the manifest',
    );
    process.exitCode = differ.length ? 1 : 0;
    return;
  }
  await writeImages(rendered);
  const manifest: RenderedManifest = {
    description: 'Rendered text set: known text in several fonts, sizes, colours and backgrounds. See textset/README.md.',
    generator: 'npx tsx textset/render-text-set.ts',
    renderer: { sharp: sharp.versions.sharp!, librsvg: sharp.versions.rsvg ?? 'unknown', pango: sharp.versions.pango ?? 'unknown' },
    packages: Object.fromEntries(PACKAGES.map((pkg) => [pkg, debianVersion(pkg)])),
    images: rendered.map(({ entry }) => entry),
  };
  await writeFile(resolveImage(RENDERED_MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  console.log(`render-text-set: ${rendered.length} images in ${RENDERED_DIR}/, manifest ${RENDERED_MANIFEST}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
