/** Cut one text line out of decoded RGB for a recogniser: crop, turn a vertical line upright, scale to the line height, pad. */
import sharp from 'sharp';
import type { Interpolation } from '../bundle/manifest.js';
import type { RawImage } from './decode.js';
import { KERNELS } from './resize.js';

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** How a recogniser takes a line: its height, the narrowest and widest input, and the step widths are rounded up to. */
export interface TextLineSpec {
  height: number;
  minWidth: number;
  maxWidth: number;
  step: number;
  fill: number;
  interpolation: Interpolation;
}

/** Which way a vertical line is turned upright: a quarter anticlockwise (text read top to bottom) or clockwise (bottom to top). */
export type QuarterTurn = 'anticlockwise' | 'clockwise';

/** A line cut for the recogniser; `vertical` when the region was much taller than wide and so was turned. */
export interface CutLine {
  width: number;
  pixels: Uint8Array;
  vertical: boolean;
}

/**
 * One text line for a recogniser: the box (0-1 coordinates) cut out, scaled to `height` keeping its aspect ratio (a
 * line wider than maxWidth squeezed to it), padded right with fill to its width rounded up to `step`, at least minWidth.
 * A vertical region is turned upright by `turn` first; `upsideDown` turns the line a half turn more.
 */
export async function cutTextLine(
  image: RawImage,
  box: Region,
  spec: TextLineSpec,
  turn: QuarterTurn = 'anticlockwise',
  /** Turn the line a half turn too (a horizontal line that may be upside down). */
  upsideDown = false,
): Promise<CutLine> {
  const left = Math.max(0, Math.floor(box.left * image.width));
  const top = Math.max(0, Math.floor(box.top * image.height));
  const width = Math.max(1, Math.min(image.width - left, Math.ceil(box.width * image.width)));
  const height = Math.max(1, Math.min(image.height - top, Math.ceil(box.height * image.height)));
  // A region much taller than wide is a line set vertically (a newspaper photographed on its side, a chart's y-axis
  // label): it is turned a quarter, anticlockwise by default as PaddleOCR does; the reader tries both turns.
  const upright = height >= 1.5 * width;
  const [lineWidth, lineHeight] = upright ? [height, width] : [width, height];
  const scaled = Math.max(1, Math.round((lineWidth * spec.height) / lineHeight));
  const bucket = Math.min(spec.maxWidth, Math.max(spec.minWidth, Math.ceil(scaled / spec.step) * spec.step));
  const inner = Math.min(bucket, scaled);
  const fill = { r: spec.fill, g: spec.fill, b: spec.fill };
  let line = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).extract({ left, top, width, height });
  if (upright || upsideDown) {
    // sharp applies an extract after a rotation when both are in one pipeline: cut first, turn in a second one.
    const cut = await line.raw().toBuffer({ resolveWithObject: true });
    const degrees = (upright ? (turn === 'anticlockwise' ? 270 : 90) : 0) + (upsideDown ? 180 : 0);
    line = sharp(cut.data, { raw: { width: cut.info.width, height: cut.info.height, channels: 3 } }).rotate(degrees % 360);
  }
  const { data, info } = await line
    .resize({ width: inner, height: spec.height, fit: 'fill', kernel: KERNELS[spec.interpolation] })
    .extend({ right: bucket - inner, background: fill })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== bucket || info.height !== spec.height || info.channels !== 3)
    throw new Error(`text line cut to ${info.width}x${info.height}x${info.channels}`);
  return { width: bucket, pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), vertical: upright };
}
