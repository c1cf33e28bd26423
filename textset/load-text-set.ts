/** Load the text sets with their truth: the rendered set (textset/rendered/) and the real images (textset/real.json). */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageKind } from './score-text.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Relative to the repository root, as the manifest's `file` fields are. */
export const RENDERED_DIR = 'textset/rendered';
export const RENDERED_MANIFEST = `${RENDERED_DIR}/manifest.json`;
export const REAL_LABELS = 'textset/real.json';

/** One image of the rendered set, as textset/render-text-set.ts writes it. */
export interface RenderedImage {
  readonly id: string;
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly sha256: string;
  /** The text, lines in reading order. */
  readonly lines: readonly string[];
  readonly font: { readonly family: string; readonly class: 'sans' | 'serif' | 'mono'; readonly package: string };
  readonly font_size_px: number;
  /** Height of a capital letter in px: 12, 16, 24 or 40. */
  readonly cap_height_px: number;
  readonly style: string;
  readonly foreground: string;
  readonly background: string;
  readonly photo?: { readonly file: string; readonly package: string };
  readonly rotation_deg: number;
  readonly kind: ImageKind;
  readonly acceptable_kinds: readonly ImageKind[];
  /** Plain ground and not rotated. */
  readonly clean: boolean;
}

export interface RenderedManifest {
  readonly description: string;
  readonly generator: string;
  readonly renderer: Readonly<Record<string, string>>;
  readonly packages: Readonly<Record<string, string>>;
  readonly images: readonly RenderedImage[];
}

/** One real image of textset/real.json, labelled by looking at it. */
export interface RealImage {
  readonly file: string;
  readonly source: {
    readonly registry: string;
    readonly package: string;
    readonly version: string;
    readonly path: string;
    readonly licence: string;
  };
  readonly sha256: string;
  readonly kind: ImageKind;
  /** Other kinds that are fair answers for this image. */
  readonly acceptable_kinds?: readonly ImageKind[];
  readonly text: {
    /** Legible text transcribed by hand, lines in reading order; [] when the image has none. */
    readonly lines: readonly string[];
    /** False when the image has more text than `lines` (too small, blurred or cut off to read): score words found, not CER. */
    readonly complete: boolean;
    readonly note?: string;
  };
  readonly note: string;
}

/** An image path from a manifest, absolute. */
export function resolveImage(file: string): string {
  return path.isAbsolute(file) ? file : path.join(ROOT, file);
}

const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The rendered set; throws, naming the command, when the images have not been rendered. */
export function loadRenderedSet(): RenderedImage[] {
  const manifest = JSON.parse(readFileSync(resolveImage(RENDERED_MANIFEST), 'utf8')) as RenderedManifest;
  const missing = manifest.images.filter((image) => !existsSync(resolveImage(image.file)));
  if (missing.length) {
    throw new Error(`${missing.length} rendered images are missing (${missing[0]!.file}, …): run npx tsx textset/render-text-set.ts`);
  }
  return [...manifest.images];
}

/** The real images; throws, naming each package, when an image is missing or its sha256 differs. */
export function loadRealSet(): RealImage[] {
  const labels = JSON.parse(readFileSync(resolveImage(REAL_LABELS), 'utf8')) as { images: RealImage[] };
  const problems: string[] = [];
  for (const image of labels.images) {
    const file = resolveImage(image.file);
    const from = `${image.source.registry} ${image.source.package} ${image.source.version}`;
    if (!existsSync(file)) problems.push(`missing ${image.file} (from ${from})`);
    else if (sha256Of(file) !== image.sha256) problems.push(`sha256 differs for ${image.file} (expected ${from})`);
  }
  if (problems.length) throw new Error(`text set: ${problems.join('; ')}. Run bash scripts/install-deps.sh`);
  return labels.images;
}
