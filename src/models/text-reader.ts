/** OCR: text regions from the detector, grouped into lines in reading order, each region read at its own width. */
import type { ModelBundle } from '../bundle/load-bundle.js';
import type { RawImage } from '../image/decode.js';
import type { ImageSource } from '../image/image-source.js';
import { boxBeforeTurn } from '../image/turn.js';
import { type CutLine, cutTextLine, type TextLineSpec } from '../image/text-line.js';
import type { InferencePool } from '../runtime/inference-pool.js';
import type { Box } from './detector.js';
import { ServedModel } from './served-model.js';
import type { TextRegion } from './text-detector.js';
import { textDetector } from './text-detector.js';
import { plausibleLines } from './text-plausibility.js';
import { UPSIDE_DOWN_BELOW, upsideDownHolds } from './upside-down-lines.js';
import { dropStrayIdeographs, textRecognizer, type RecognisedLine } from './text-recognizer.js';

export interface TextLine {
  text: string;
  score: number;
  box: Box;
}

export interface ReadText {
  /** Every line in reading order, joined by newlines. */
  content: string;
  lines: TextLine[];
  /** Every legible line before the plausibility filter: where text sits, for the kind tree (a terminal's "● ● ●" row counts). */
  layout: TextLine[];
  /** Share of the image's area inside text regions (before reading). */
  coverage: number;
}

export interface TextReaderSettings {
  /** Text lines are cut from the image decoded with up to this shorter side (twice the detector's side). */
  shorterSide: number;
  /** Lines whose mean character probability is below this are dropped (rapidocr's text_score). */
  minLineScore: number;
  /** Regions read per image, largest first; the rest are left out. */
  maxRegions: number;
}

export const TEXT_READER_DEFAULTS: TextReaderSettings = { shorterSide: 1280, minLineScore: 0.5, maxRegions: 64 };

/**
 * Lines are padded to their own width rounded up to this, not to the manifest's widths (which are only the narrowest
 * and widest): the graph's width axis is dynamic and a run costs as its columns do. Each line is its own run, because
 * on these CPUs a batch of four 1280 px lines took 348 ms a line against 185 alone.
 */
const LINE_WIDTH_STEP = 32;

/** How the recogniser bundle takes a line (its manifest's text_line rule). */
export function lineSpecOf(bundle: ModelBundle): TextLineSpec {
  const { input } = bundle.manifest;
  if (input.resize.method !== 'text_line') throw new Error(`${bundle.manifest.name}: a recogniser needs the text_line resize`);
  const { widths, fill } = input.resize;
  return {
    height: input.height,
    minWidth: widths[0]!,
    maxWidth: widths[widths.length - 1]!,
    step: LINE_WIDTH_STEP,
    fill,
    interpolation: input.interpolation,
  };
}

const union = (boxes: readonly Box[]): Box => {
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
};

/** A region's box as a line is cut from it. */
const cutBox = (r: TextRegion) => ({ left: r.box.x, top: r.box.y, width: r.box.width, height: r.box.height });

/** The regions read as lines: each row's texts joined by spaces, its mean score, the union of its boxes. */
function rowsOf(read: readonly (RecognisedLine & { box: Box })[]): TextLine[] {
  return readingOrder(read).map((row) => ({
    text: row.map((r) => r.text).join(' '),
    score: row.reduce((sum, r) => sum + r.score, 0) / row.length,
    box: union(row.map((r) => r.box)),
  }));
}

/** Rows of regions, top to bottom, each row left to right: a region joins a row its vertical centre falls inside. */
export function readingOrder<R extends { box: Box }>(regions: readonly R[]): R[][] {
  const rows: { top: number; bottom: number; members: R[] }[] = [];
  for (const region of [...regions].sort((a, b) => a.box.y + a.box.height / 2 - (b.box.y + b.box.height / 2))) {
    const centre = region.box.y + region.box.height / 2;
    const row = rows.find((r) => centre >= r.top && centre <= r.bottom);
    if (row) row.members.push(region);
    else rows.push({ top: region.box.y, bottom: region.box.y + region.box.height, members: [region] });
  }
  return rows.sort((a, b) => a.top - b.top).map((r) => r.members.sort((a, b) => a.box.x - b.box.x));
}

/** Reads the text in an image with a text detector and a recogniser served by one pool. */
export class TextReader {
  /** The detector at its manifest's shape (the response names it); `detectorFor` picks the shape for an image. */
  readonly detector: ServedModel<TextRegion[]>;
  private readonly detectors: ServedModel<TextRegion[]>[];
  private readonly lineSpec: TextLineSpec;

  constructor(
    detector: ModelBundle,
    private readonly recognizer: ModelBundle,
    readonly pool: InferencePool,
    readonly settings = TEXT_READER_DEFAULTS,
  ) {
    this.detectors = pool.shapesOf(detector.manifest.name).map((shape) => new ServedModel(detector, textDetector, pool, shape));
    this.detector = this.detectors[0]!;
    this.lineSpec = lineSpecOf(recognizer);
  }

  /** The detector shape that holds the image letterboxed with the least padding (the image's scale is the square's). */
  detectorFor(image: { width: number; height: number }): ServedModel<TextRegion[]> {
    const { width: side } = this.detector.bundle.manifest.input;
    const scale = side / Math.max(image.width, image.height);
    const need = { width: Math.round(image.width * scale), height: Math.round(image.height * scale) };
    const fits = this.detectors.filter(
      ({
        bundle: {
          manifest: { input },
        },
      }) => input.width >= need.width && input.height >= need.height,
    );
    return fits.reduce((best, d) =>
      d.bundle.manifest.input.width * d.bundle.manifest.input.height < best.bundle.manifest.input.width * best.bundle.manifest.input.height
        ? d
        : best,
    );
  }

  /**
   * The detector shape for the upload and the image it reads: decoded again until its longer side fills the detector's,
   * since the working decode serves the other models at their size, which for a wide screenshot is well under it.
   */
  async detection(source: ImageSource): Promise<{ detector: ServedModel<TextRegion[]>; image: RawImage }> {
    const { working } = source;
    const detector = this.detectorFor(working);
    const { width, height } = detector.bundle.manifest.input;
    const shorterSide = Math.ceil(
      (Math.max(width, height) * Math.min(working.width, working.height)) / Math.max(working.width, working.height),
    );
    return { detector, image: await source.at(shorterSide) };
  }

  /** The upload's text regions, when they were not looked for beside the other models (see `detection`). */
  async detect(source: ImageSource, origin: string): Promise<TextRegion[]> {
    const { detector, image } = await this.detection(source);
    return detector.predict(image, origin);
  }

  /**
   * The text of the upload from the regions the detector found; lines are cut from a decode of up to settings.shorterSide.
   * Only plausible lines are kept (text-plausibility.ts); `scene` (text in a photo) asks more of each.
   */
  async read(source: ImageSource, regions: readonly TextRegion[], origin: string, scene = false): Promise<ReadText> {
    if (regions.length === 0) return { content: '', lines: [], layout: [], coverage: 0 };
    const image = await source.at(this.settings.shorterSide);
    const coverage = regions.reduce((sum, r) => sum + r.box.width * r.box.height, 0);
    const kept = [...regions].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height).slice(0, this.settings.maxRegions);
    const { read, upsideDown } = await this.recognise(image, kept, origin);
    const legible = dropStrayIdeographs(read.filter((r) => r.text.length > 0 && r.score >= this.settings.minLineScore));
    // An image read mostly upside down is read in its own order: bottom row first, each row right to left.
    const halfTurned = <T extends { box: Box }>(item: T): T => ({ ...item, box: boxBeforeTurn(item.box, 180) });
    const order = upsideDown ? (ls: typeof legible) => rowsOf(ls.map(halfTurned)).map(halfTurned) : rowsOf;
    const lines = order(plausibleLines(legible, scene));
    return { content: lines.map((l) => l.text).join('\n'), lines, layout: order(legible), coverage: Math.min(1, coverage) };
  }

  /**
   * Each region read as a line. A vertical region runs either way up (a y-axis label reads bottom to top, a newspaper
   * on its side top to bottom), so it is read turned both ways and the reading the recogniser is surer of is kept. A
   * horizontal line the recogniser is unsure of (below UPSIDE_DOWN_BELOW) may be upside down (a photo or page stored
   * upside down, a sign seen from across a table): it is read again turned a half turn, and the surer reading is kept.
   */
  private async recognise(image: RawImage, regions: readonly TextRegion[], origin: string) {
    const cuts = await Promise.all(regions.map((r) => cutTextLine(image, cutBox(r), this.lineSpec)));
    const turned = await Promise.all(
      regions.map((r, i) => (cuts[i]!.vertical ? cutTextLine(image, cutBox(r), this.lineSpec, 'clockwise') : undefined)),
    );
    const readings = await this.readLines([...cuts, ...turned.filter((cut) => cut !== undefined)], origin, image);
    let next = regions.length;
    const best = regions.map((_, i) => {
      const first = readings[i]!;
      const second = turned[i] ? readings[next++]! : undefined;
      return second && second.score > first.score ? second : first;
    });
    const horizontal = regions.flatMap((_, i) => (cuts[i]!.vertical ? [] : [i]));
    const doubtful = horizontal.filter((i) => best[i]!.score < UPSIDE_DOWN_BELOW);
    const sure = horizontal.filter((i) => best[i]!.score >= UPSIDE_DOWN_BELOW);
    const flipped = await this.flipWhereHeld(image, regions, doubtful, best, origin);
    // More lines upside down than read surely upright: the image is, and a line that looked sure may be too ("$ git
    // status" read as "ss $"). Unsure lines that read as nothing either way (icons, texture) do not count.
    const upsideDown = flipped > sure.length;
    if (upsideDown) await this.flipWhereHeld(image, regions, sure, best, origin);
    return { read: regions.map((region, i) => ({ box: region.box, ...best[i]! })), upsideDown };
  }

  /** Read these regions turned a half turn; where that reading holds (upsideDownHolds) it replaces `best`'s. How many did. */
  private async flipWhereHeld(
    image: RawImage,
    regions: readonly TextRegion[],
    which: readonly number[],
    best: RecognisedLine[],
    origin: string,
  ) {
    const halves = await Promise.all(which.map((i) => cutTextLine(image, cutBox(regions[i]!), this.lineSpec, 'anticlockwise', true)));
    const readings = await this.readLines(halves, origin, image);
    let replaced = 0;
    which.forEach((i, k) => {
      if (!upsideDownHolds(readings[k]!, best[i]!)) return;
      best[i] = readings[k]!;
      replaced += 1;
    });
    return replaced;
  }

  /** The recogniser's reading of each cut line. */
  private async readLines(lines: readonly CutLine[], origin: string, image: RawImage): Promise<RecognisedLine[]> {
    if (lines.length === 0) return [];
    const model = this.recognizer.manifest.name;
    const raws = await this.pool.inferEach(
      lines.map((cut) => ({ model, pixels: cut.pixels })),
      origin,
    );
    return raws.map((raw) => textRecognizer.interpret(raw, this.recognizer, image));
  }
}
