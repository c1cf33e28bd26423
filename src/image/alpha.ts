/** An RGBA decode taken apart: its colour channels and, when anything is transparent, its opacity. */

/** Opacity from which a pixel counts as part of the picture rather than its transparent surround. */
export const OPAQUE_FROM = 250;

/** RGB and alpha planes of interleaved RGBA; `alpha` is left out when every pixel is opaque (the RGB is then the whole image). */
export function splitAlpha(rgba: Buffer): { rgb: Buffer; alpha: Buffer | undefined } {
  const pixels = rgba.length / 4;
  const rgb = Buffer.allocUnsafe(pixels * 3);
  const alpha = Buffer.allocUnsafe(pixels);
  let transparent = false;
  for (let i = 0, at = 0, out = 0; i < pixels; i++, at += 4, out += 3) {
    rgb[out] = rgba[at]!;
    rgb[out + 1] = rgba[at + 1]!;
    rgb[out + 2] = rgba[at + 2]!;
    const a = rgba[at + 3]!;
    alpha[i] = a;
    if (a !== 255) transparent = true;
  }
  return { rgb, alpha: transparent ? alpha : undefined };
}
