/** What kind of image it is (photo, screenshot, document, chart, drawing): the kind tree, and whether the text is worth reading. */
import type { components } from '../generated/api.js';
import type { Band, ImageStatistics } from '../image/image-statistics.js';
import type { KindEvidence, TextEvidence } from './kind-evidence.js';
import kindRules from './kind-rules.json' with { type: 'json' };

type ApiImageKind = components['schemas']['CaptionResponse']['kind'];

/** The kinds the API answers (openapi.yaml, CaptionResponse.kind): the one list the use case, the composer and the scorers use. */
export const IMAGE_KINDS = [
  'photo',
  'screenshot',
  'document',
  'chart',
  'drawing',
  'painting',
  'map',
  'diagram',
] as const satisfies readonly ApiImageKind[];
export type ImageKind = (typeof IMAGE_KINDS)[number];
/** Fails to compile when openapi.yaml gains a kind this list lacks. */
const everyApiKind: [Exclude<ApiImageKind, ImageKind>] extends [never] ? true : never = true;
void everyApiKind;

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
export function worthReading(evidence: Omit<KindEvidence, 'text' | 'ruled' | 'axes'>): boolean {
  const s = evidence.statistics;
  return looksRendered(s) || onPaper(s) || evidence.panel !== undefined || evidence.textBearing >= kindRules.read_text_bearing_from;
}

/** Lines that all start at the left margin, as a terminal's do (a sign's are centred). */
function leftAligned(lefts: readonly number[]): boolean {
  const rule = kindRules.kinds.screenshot;
  return (
    lefts.length > 0 &&
    Math.min(...lefts) <= rule.terminal_max_left &&
    Math.max(...lefts) - Math.min(...lefts) <= rule.terminal_max_left_spread
  );
}

/** A photo or drawing inside a window (an image viewer, a demo's output): the window's title bar or toolbar gives it away. */
function inWindow(s: ImageStatistics): boolean {
  return s.windowEdge >= kindRules.kinds.screenshot.window_edge_from;
}

/** Lines of text inside the image's flat panel: a console or status area under a photo makes it a screenshot. The panel is looked for only when enough lines were read. */
function textInPanel(evidence: KindEvidence, text: TextEvidence | undefined): boolean {
  const least = kindRules.kinds.screenshot.panel_min_lines;
  if (!text || text.middles.length < least) return false;
  const panel: Band | undefined = evidence.panel;
  return panel !== undefined && text.middles.filter((m) => m >= panel.from && m <= panel.to).length >= least;
}

/**
 * A label or two beside ruled axes: a chart saved as a JPEG on paper white, its ticks too small to read. Asked only of
 * such an image (a rendered one's labels are legible, and the rule was never weighed for it).
 */
function ruledAxes(evidence: KindEvidence, rendered: boolean, lines: number): boolean {
  return !rendered && lines > 0 && evidence.ruled >= kindRules.kinds.chart.ruled_from;
}

/** A chart's text: a few lines or more, covering little of the image. */
function scatteredLabels(lines: number, coverage: number): boolean {
  return lines >= kindRules.kinds.chart.min_lines && coverage < kindRules.kinds.chart.max_coverage;
}

/**
 * Axes on paper: a long ruled line that does not span the whole image (a window's border does), with scattered labels,
 * or with a second as long the other way (a plot's tick numbers can cover as much of it as a page's text; a table's
 * rules run one way), or with labels that are mostly numbers (stacked panels of signals, whose screen share is high).
 * On the 268 tuning images the second axis turns two plots called documents into charts, nothing else.
 */
function axesOnPaper(evidence: KindEvidence, lines: number, coverage: number, numbers: boolean): boolean {
  const rule = kindRules.kinds.chart;
  if (lines < rule.min_lines || evidence.ruled < rule.axes_from || evidence.ruled >= rule.axes_below) return false;
  return coverage < rule.max_coverage || evidence.axes >= rule.axes_from || numbers;
}

/**
 * Text that is mostly numbers: a plot's tick labels, which on a figure of several panels or a 3-D plot cover as much
 * of it as a page's words and run no long axis. On the 572 tuning images the pages have at most 0.01 digits, a table
 * 0.33; the plots read as documents or screenshots 0.49 to 0.64 (four of them, issue 26 charts3).
 */
function mostlyNumbers(text: TextEvidence | undefined): boolean {
  return (text?.lines ?? 0) >= kindRules.kinds.chart.min_lines && (text?.digits ?? 0) >= kindRules.kinds.chart.numbers_from;
}

/** The kind from the image's statistics, the classifier and its text, each asked for where a branch needs it. Photo unless the evidence says otherwise. */
export async function imageKind(evidence: KindEvidence): Promise<ImageKind> {
  const { statistics: s } = evidence;
  const text = await evidence.text();
  const lines = text?.lines ?? 0;
  const coverage = text?.coverage ?? 0;
  const rules = kindRules.kinds;
  const pageOfText =
    lines >= rules.document.min_lines && coverage >= rules.document.min_coverage && s.backgroundLuma >= rules.document.min_background_luma;
  const rendered = looksRendered(s);
  const numbers = mostlyNumbers(text);
  if (!rendered && !(onPaper(s) && lines > 0)) {
    // A screen or a page photographed (or saved as a JPEG) is a screenshot or a document to its reader; any other photo stays a photo.
    if (lines > 0 && evidence.screen >= rules.screenshot.min_screen) return 'screenshot';
    if (inWindow(s) || textInPanel(evidence, text)) return 'screenshot';
    return pageOfText && evidence.textBearing >= kindRules.read_text_bearing_from ? 'document' : 'photo';
  }
  if (onPaper(s) && axesOnPaper(evidence, lines, coverage, numbers)) return 'chart';
  if (evidence.screen >= rules.screenshot.min_screen) return 'screenshot';
  // Light text on a dark ground: a terminal (lines at the left margin) or a dark UI (many lines); a sign has a few, centred.
  const dark = lines >= rules.screenshot.terminal_min_lines && s.backgroundLuma <= rules.screenshot.terminal_max_background_luma;
  if (dark && (leftAligned(text?.lefts ?? []) || lines >= rules.screenshot.dark_ui_min_lines)) return 'screenshot';
  if (pageOfText) return numbers ? 'chart' : 'document';
  // A chart: scattered labels, or a label or two beside ruled axes.
  if (scatteredLabels(lines, coverage) || (coverage < rules.chart.max_coverage && ruledAxes(evidence, rendered, lines))) return 'chart';
  // On paper white with text but no other sign of a graphic: a product shot on white is still a photo.
  if (inWindow(s)) return 'screenshot';
  return rendered ? 'drawing' : 'photo';
}
