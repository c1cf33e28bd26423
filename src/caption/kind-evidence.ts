/** The evidence the kind tree weighs, each costly part (panel, ruled line, classifier shares, text read) computed when first asked, once. */
import type { Hierarchy } from '../bundle/hierarchy.js';
import type { RawImage } from '../image/decode.js';
import { flatPanel, imageStatistics, type Band, type ImageStatistics } from '../image/image-statistics.js';
import { ruledLines } from '../image/ruled-lines.js';
import type { ReadText } from '../models/text-reader.js';
import kindRules from './kind-rules.json' with { type: 'json' };

export interface TextEvidence {
  lines: number;
  /** Share of the image inside text regions. */
  coverage: number;
  /** Left edge of each line read (0-1): a terminal's lines all start at its left margin. */
  lefts: readonly number[];
  /** Vertical centre of each line read (0-1). */
  middles: readonly number[];
  /** Share of the characters read that are digits: a plot's tick labels are numbers, a page's lines are words (absent: 0). */
  digits?: number;
}

/** What the kind tree (image-kind.ts) may ask of one image; a plain object with the answers serves as well as a lazy one. */
export interface KindEvidence {
  readonly statistics: ImageStatistics;
  /** Classifier probability of classes that carry text (web site, menu, book jacket, street sign...). */
  readonly textBearing: number;
  /** Classifier probability of screens (web site, monitor, CRT screen, television...). */
  readonly screen: number;
  /** A flat panel across the whole width between a straight row edge and the top or bottom border (image-statistics.ts, flatPanel). */
  readonly panel: Band | undefined;
  /** The longest ruled line's share of its side (ruled-lines.ts, ruledLines). */
  readonly ruled: number;
  /** The shorter of the longest ruled line across and the longest down, each as a share of its side: a plot's two axes. */
  readonly axes: number;
  /** The text read, when it was worth reading (see worthReading); undefined when it was not read. */
  text(): Promise<TextEvidence | undefined>;
}

/** A value computed on the first call and kept. */
function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) [value, done] = [compute(), true];
    return value;
  };
}

const positions = new WeakMap<Hierarchy, Map<string, number>>();

function sumOf(ids: readonly string[], hierarchy: Hierarchy, concepts: Float64Array): number {
  let index = positions.get(hierarchy);
  if (!index) {
    index = new Map(hierarchy.ids.map((id, i) => [id, i]));
    positions.set(hierarchy, index);
  }
  let sum = 0;
  for (const id of ids) {
    const at = index.get(id);
    if (at !== undefined) sum += concepts[at]!;
  }
  return sum;
}

/** The classifier's share of the evidence, from the concept scores hedging already computed. */
function classifierEvidence(hierarchy: Hierarchy, concepts: Float64Array): Pick<KindEvidence, 'textBearing' | 'screen'> {
  return {
    textBearing: sumOf(kindRules.text_bearing_classes, hierarchy, concepts),
    screen: sumOf(kindRules.screen_classes, hierarchy, concepts),
  };
}

/** The text read, as the kind tree weighs it: how many lines, how much of the image, where they start and sit, how much of it is numbers (quoted or not). */
function textEvidence(read: ReadText): TextEvidence {
  const { layout: lines, coverage } = read;
  const characters = lines.map((l) => l.text.replace(/\s/g, '')).join('');
  const digits = characters.length > 0 ? characters.replace(/\D/g, '').length / characters.length : 0;
  return { lines: lines.length, coverage, lefts: lines.map((l) => l.box.x), middles: lines.map((l) => l.box.y + l.box.height / 2), digits };
}

/**
 * The statistics the kind tree weighs. A cut-out's transparent surround, flattened onto white, is a flat fill that made
 * photos of objects look rendered; its opaque subject alone is weighed when that looks photographed (kind-rules.json,
 * cut_out), and clip art on a transparent ground, flat inside too, keeps the whole image's statistics.
 */
export function kindStatistics(image: RawImage): ImageStatistics {
  const whole = imageStatistics(image);
  if (!image.alpha) return whole;
  const subject = imageStatistics(image, { withoutSurround: true });
  return subject.gradual >= kindRules.cut_out.subject_gradual_from ? subject : whole;
}

/** The pixels' part of the evidence: the statistics (about 1 ms, asked by every request), the panel and ruled line when asked. */
export class PixelEvidence {
  readonly statistics: ImageStatistics;
  readonly panel: () => Band | undefined;
  readonly ruled: () => number;
  readonly axes: () => number;

  constructor(image: RawImage) {
    this.statistics = kindStatistics(image);
    this.panel = once(() => flatPanel(image));
    const lines = once(() => ruledLines(image));
    this.ruled = () => Math.max(lines().across, lines().down);
    this.axes = () => Math.min(lines().across, lines().down);
  }
}

/** The evidence of one image as a lazy KindEvidence; `read` decides whether to read its text (it may ask the evidence) and reads it. */
export class ImageEvidence implements KindEvidence {
  private readonly shares: () => Pick<KindEvidence, 'textBearing' | 'screen'>;
  /** The text read (for the response as well as the kind), once. */
  readonly read: () => Promise<ReadText | undefined>;

  constructor(
    private readonly pixels: PixelEvidence,
    classifier: { readonly hierarchy: Hierarchy; readonly concepts: Float64Array },
    read: (evidence: KindEvidence) => Promise<ReadText | undefined>,
  ) {
    this.shares = once(() => classifierEvidence(classifier.hierarchy, classifier.concepts));
    this.read = once(() => read(this));
  }

  get statistics(): ImageStatistics {
    return this.pixels.statistics;
  }

  get textBearing(): number {
    return this.shares().textBearing;
  }

  get screen(): number {
    return this.shares().screen;
  }

  get panel(): Band | undefined {
    return this.pixels.panel();
  }

  get ruled(): number {
    return this.pixels.ruled();
  }

  get axes(): number {
    return this.pixels.axes();
  }

  async text(): Promise<TextEvidence | undefined> {
    const read = await this.read();
    return read ? textEvidence(read) : undefined;
  }
}
