/** The text sets' figures for one OCR run: CER and word accuracy by set, size, font and style, spurious text, kind confusion. */
import type { RealImage, RenderedImage } from './load-text-set.js';
import {
  kindConfusion,
  scoreText,
  summariseBy,
  summariseText,
  type KindConfusion,
  type OcrOutput,
  type TextScore,
  type TextSummary,
} from './score-text.js';

/** What the service said about one image: its `text` and, when it gives one, the image kind. */
export interface ImageResult {
  readonly text: OcrOutput;
  readonly kind?: string;
}

export interface TextSetReport {
  readonly rendered: {
    readonly all: TextSummary;
    /** Plain ground, not rotated, cap height >= 16 px: the bound (CER <= 10%) is on this one. */
    readonly clean16: TextSummary;
    readonly bySize: ReadonlyMap<number, TextSummary>;
    readonly cleanBySize: ReadonlyMap<number, TextSummary>;
    readonly byFontClass: ReadonlyMap<string, TextSummary>;
    readonly byStyle: ReadonlyMap<string, TextSummary>;
  };
  readonly real: {
    /** Images transcribed completely: CER, word accuracy, and spurious text on those with no text. */
    readonly complete: TextSummary;
    /** Images with more text than was transcribed: quote the word figures only (their CER counts correct extra text as errors). */
    readonly partial: TextSummary;
    /** Word figures by kind, over the images with transcribed text. */
    readonly byKind: ReadonlyMap<string, TextSummary>;
  };
  /** Over both sets; absent when some result has no kind. */
  readonly kinds?: KindConfusion;
  /** Files of the sets that have no result. */
  readonly missing: readonly string[];
}

/** Score one run: results keyed by each image's `file` as the manifests give it. */
export function reportTextSets(
  rendered: readonly RenderedImage[],
  real: readonly RealImage[],
  results: ReadonlyMap<string, ImageResult>,
): TextSetReport {
  const missing = [...rendered, ...real].map((image) => image.file).filter((file) => !results.has(file));
  const scored = <T extends { file: string }>(images: readonly T[], linesOf: (image: T) => readonly string[]) =>
    images.flatMap((image) => {
      const result = results.get(image.file);
      return result ? [{ image, score: scoreText(linesOf(image), result.text) }] : [];
    });
  const renderedScores = scored(rendered, (image) => image.lines);
  const realScores = scored(real, (image) => image.text.lines);
  const summary = (items: readonly { score: TextScore }[]) => summariseText(items.map((item) => item.score));
  const by = <K extends string | number>(items: typeof renderedScores, key: (image: RenderedImage) => K) =>
    summariseBy(items.map(({ image, score }) => ({ key: key(image), score })));
  const clean = renderedScores.filter(({ image }) => image.clean);
  const judgements = [
    ...rendered.map((image) => ({ truth: image.kind, acceptable: image.acceptable_kinds, predicted: results.get(image.file)?.kind })),
    ...real.map((image) => ({ truth: image.kind, acceptable: image.acceptable_kinds ?? [], predicted: results.get(image.file)?.kind })),
  ].filter((j) => j.predicted !== undefined);
  const allKinds = judgements.length === rendered.length + real.length;
  return {
    rendered: {
      all: summary(renderedScores),
      clean16: summary(clean.filter(({ image }) => image.cap_height_px >= 16)),
      bySize: by(renderedScores, (image) => image.cap_height_px),
      cleanBySize: by(clean, (image) => image.cap_height_px),
      byFontClass: by(renderedScores, (image) => image.font.class),
      byStyle: by(renderedScores, (image) => image.style),
    },
    real: {
      complete: summary(realScores.filter(({ image }) => image.text.complete)),
      partial: summary(realScores.filter(({ image }) => !image.text.complete && image.text.lines.length > 0)),
      byKind: summariseBy(
        realScores.filter(({ image }) => image.text.lines.length > 0).map(({ image, score }) => ({ key: image.kind, score })),
      ),
    },
    ...(allKinds ? { kinds: kindConfusion(judgements.map((j) => ({ ...j, predicted: j.predicted! }))) } : {}),
    missing,
  };
}
