/** Decoded pixels turned a quarter or a half turn clockwise, alpha with them (photos stored sideways: src/caption/sideways.ts). */
import sharp from 'sharp';
import type { QuarterTurn, RawImage } from './decode.js';

/** One raw plane (RGB or alpha) turned clockwise. */
async function turnPlane(data: Buffer, width: number, height: number, channels: 1 | 3, turn: QuarterTurn) {
  const turned = sharp(data, { raw: { width, height, channels } }).rotate(turn);
  // sharp writes one band out as three unless told to keep the one.
  return (channels === 1 ? turned.extractChannel(0) : turned).raw().toBuffer({ resolveWithObject: true });
}

/** The image turned clockwise by `turn` degrees; a turn of 90 or 270 swaps width and height. */
export async function turnRaw(image: RawImage, turn: QuarterTurn): Promise<RawImage> {
  const { data, info } = await turnPlane(image.data, image.width, image.height, 3, turn);
  const alpha = image.alpha ? (await turnPlane(image.alpha, image.width, image.height, 1, turn)).data : undefined;
  return { data, width: info.width, height: info.height, format: image.format, ...(alpha ? { alpha } : {}) };
}

/** A box in [0, 1] coordinates of the turned image, in the coordinates of the image before the turn. */
export function boxBeforeTurn<B extends { x: number; y: number; width: number; height: number }>(box: B, turn: QuarterTurn): B {
  const { x, y, width, height } = box;
  if (turn === 180) return { ...box, x: 1 - x - width, y: 1 - y - height };
  // Turned 90 clockwise, a point (u, v) of the original lands at (1 - v, u); 270 puts it at (v, 1 - u).
  if (turn === 90) return { ...box, x: y, y: 1 - x - width, width: height, height: width };
  return { ...box, x: 1 - y - height, y: x, width: height, height: width };
}
