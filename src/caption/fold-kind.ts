/** The one place where a kind detector's answer becomes the API's kind: painting, map and diagram fold into the first five until KINDS_EXTENDED. */
import { IMAGE_KINDS, type ImageKind } from './image-kind.js';

/**
 * The kinds said only where the deployment tells them apart, each with the kind said otherwise: a painting or a map is
 * a drawing to today's rules (the labelled sets file them so), and a diagram is what the chart lead already names
 * ("A chart or diagram", "Un graphique ou un diagramme"; the dev-set scorer takes "diagram" for a chart too).
 */
export const FOLDED_KINDS = { painting: 'drawing', map: 'drawing', diagram: 'chart' } as const satisfies Record<string, ImageKind>;
export type ExtendedKind = keyof typeof FOLDED_KINDS;
/** The five kinds every deployment says. */
export type BaseKind = Exclude<ImageKind, ExtendedKind>;

const isExtended = (kind: ImageKind): kind is ExtendedKind => Object.hasOwn(FOLDED_KINDS, kind);

/** The five kinds every deployment says, in the API's order. */
export const BASE_KINDS: readonly BaseKind[] = IMAGE_KINDS.filter((kind): kind is BaseKind => !isExtended(kind));

/** The API's kind for the detector's answer (any of the eight): itself when `extended` (KINDS_EXTENDED), else folded into the first five. */
export function apiKind(detected: ImageKind, extended: boolean): ImageKind {
  return extended || !isExtended(detected) ? detected : FOLDED_KINDS[detected];
}
