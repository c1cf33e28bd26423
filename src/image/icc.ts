/**
 * Which embedded ICC profiles the decoder ignores: every RGB and grey profile. Converting one to sRGB makes libvips build a
 * colour transform on every decode (a 640 x 427 Adobe RGB JPEG: 24-27 against 9.5-10.4 ms of CPU at the classifier's size),
 * and on the labelled sets it changed no answer: 58 of 472 images carry a profile, 7 of them not sRGB (Adobe RGB, grey,
 * 16-bit, print grey), and captioning those with the profile cut changed no label, kind or alt-text, though pixels moved by
 * up to 55 levels (`npx tsx scripts/measure-icc.ts`, docs/performance.md, Colour). Any other profile (CMYK, Lab) is still
 * converted, because without it the pixels are not RGB at all.
 */

/** The ICC data colour spaces whose profile the decoder skips (header bytes 16-19). */
const IGNORED_SPACES = new Set(['RGB ', 'GRAY']);

/** True when the profile is an RGB or grey one, which the decoder ignores (reads the pixels as sRGB); false for anything else. */
export function isIgnoredProfile(icc: Buffer): boolean {
  return icc.length >= 128 && IGNORED_SPACES.has(icc.toString('latin1', 16, 20));
}
