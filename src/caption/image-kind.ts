/** What kind of image it is (photo, screenshot, document, chart, drawing), and whether its text is worth reading. */
import type { Hierarchy } from '../bundle/hierarchy.js';
import type { Band, ImageStatistics } from '../image/image-statistics.js';
import kindRules from './kind-rules.json' with { type: 'json' };

export type ImageKind = 'photo' | 'screenshot' | 'document' | 'chart' | 'drawing';

export interface KindEvidence {
  statistics: ImageStatistics;
  /** Classifier probability of classes that carry text (web site, menu, book jacket, street sign...). */
  textBearing: number;
  /** Classifier probability of screens (web site, monitor, CRT screen, television...). */
  screen: number;
  /**
   * A flat panel across the whole width between a straight row edge and the top or bottom border (a console under a
   * webcam frame, a status area; image-statistics.ts, flatPanel), where one was looked for and found.
   */
  panel?: Band;
  /** The longest ruled line's share of its side (image-statistics.ts, ruledLine), where it was measured. */
  ruled?: number;
}

export interface TextEvidence {
  lines: number;
  /** Share of the image inside text regions. */
  coverage: number;
  /** Left edge of each line read (0-1): a terminal's lines all start at its left margin. */
  lefts: readonly number[];
  /** Vertical centre of each line read (0-1). */
  middles: readonly number[];
}

const positions = new WeakMap<Hierarchy, Map<string, number>>();

function sumOf(ids: readonly string[], hierarchy: Hierarchy, concepts: Float64Array): number {
  let index = positions.get(hierarchy);
  if (!index) positions.set(hierarchy, (index = new Map(hierarchy.ids.map((id, i) => [id, i]))));
  let sum = 0;
  for (const id of ids) {
    const at = index.get(id);
    if (at !== undefined) sum += concepts[at]!;
  }
  return sum;
}

/** The classifier's share of the evidence, from the concept scores hedging already computed. */
export function classifierEvidence(hierarchy: Hierarchy, concepts: Float64Array): Pick<KindEvidence, 'textBearing' | 'screen'> {
  return { textBearing: sumOf(kindRules.text_bearing_classes, hierarchy, concepts), screen: sumOf(kindRules.screen_classes, hierarchy, concepts) };
}

/** Rendered rather than photographed: exact flat fills, or almost none of a camera's gentle gradients. */
export function looksRendered(s: ImageStatistics): boolean {
  return s.exact >= kindRules.rendered.exact_from || s.gradual <= kindRules.rendered.gradual_up_to;
}

/** Much paper-white ground and few gradients: a page, chart or dialog saved as a JPEG (or a product shot on white: read, it has no text). */
export function onPaper(s: ImageStatistics): boolean {
  const rule = kindRules.on_paper;
  return s.white >= rule.white_from && s.gradual <= rule.gradual_up_to && s.exact >= rule.exact_from;
}

/** Read text when the image looks rendered, sits on paper white, has a flat panel, or shows a thing that carries text; photos of scenes skip OCR. */
export function worthReading(evidence: KindEvidence): boolean {
  const s = evidence.statistics;
  return looksRendered(s) || onPaper(s) || evidence.panel !== undefined || evidence.textBearing >= kindRules.read_text_bearing_from;
}

/** Whether a flat panel can change this image's kind: a camera-like image (a rendered or paper-white one is read anyway). */
export function needsPanel(statistics: ImageStatistics): boolean {
  return !looksRendered(statistics) && !onPaper(statistics);
}

/** Whether the ruled-line evidence can change this image's kind: on paper white, not rendered, with fewer lines than a chart needs. */
export function needsRuledLine(statistics: ImageStatistics, lines: number): boolean {
  return !looksRendered(statistics) && onPaper(statistics) && lines > 0 && lines < kindRules.kinds.chart.min_lines;
}

/** Lines that all start at the left margin, as a terminal's do (a sign's are centred). */
function leftAligned(lefts: readonly number[]): boolean {
  const rule = kindRules.kinds.screenshot;
  return lefts.length > 0 && Math.min(...lefts) <= rule.terminal_max_left && Math.max(...lefts) - Math.min(...lefts) <= rule.terminal_max_left_spread;
}

/** A photo or drawing inside a window (an image viewer, a demo's output): the window's title bar or toolbar gives it away. */
function inWindow(s: ImageStatistics): boolean {
  return s.windowEdge >= kindRules.kinds.screenshot.window_edge_from;
}

/** Lines of text inside the image's flat panel: a console or status area under a photo makes it a screenshot. */
function textInPanel(panel: Band | undefined, text: TextEvidence | undefined): boolean {
  if (!panel || !text) return false;
  return text.middles.filter((m) => m >= panel.from && m <= panel.to).length >= kindRules.kinds.screenshot.panel_min_lines;
}

/** The kind from the image's statistics, the classifier and (when it was read) its text. Photo unless the evidence says otherwise. */
export function imageKind(evidence: KindEvidence, text: TextEvidence | undefined): ImageKind {
  const { statistics: s } = evidence;
  const lines = text?.lines ?? 0;
  const coverage = text?.coverage ?? 0;
  const rules = kindRules.kinds;
  const pageOfText = lines >= rules.document.min_lines && coverage >= rules.document.min_coverage && s.backgroundLuma >= rules.document.min_background_luma;
  const rendered = looksRendered(s);
  if (!rendered && !(onPaper(s) && lines > 0)) {
    // A screen or a page photographed (or saved as a JPEG) is a screenshot or a document to its reader; any other photo stays a photo.
    if (lines > 0 && evidence.screen >= rules.screenshot.min_screen) return 'screenshot';
    if (inWindow(s) || textInPanel(evidence.panel, text)) return 'screenshot';
    return pageOfText && evidence.textBearing >= kindRules.read_text_bearing_from ? 'document' : 'photo';
  }
  if (evidence.screen >= rules.screenshot.min_screen) return 'screenshot';
  // Light text on a dark ground: a terminal (lines at the left margin) or a dark UI (many lines); a sign has a few, centred.
  const dark = lines >= rules.screenshot.terminal_min_lines && s.backgroundLuma <= rules.screenshot.terminal_max_background_luma;
  if (dark && (leftAligned(text?.lefts ?? []) || lines >= rules.screenshot.dark_ui_min_lines)) return 'screenshot';
  if (pageOfText) return 'document';
  // A chart: scattered labels, or (saved as a JPEG, its ticks too small to read) a label or two beside ruled axes.
  const ruledAxes = (evidence.ruled ?? 0) >= rules.chart.ruled_from && lines > 0;
  if ((lines >= rules.chart.min_lines || ruledAxes) && coverage < rules.chart.max_coverage) return 'chart';
  // On paper white with text but no other sign of a graphic: a product shot on white is still a photo.
  if (inWindow(s)) return 'screenshot';
  return rendered ? 'drawing' : 'photo';
}
