/**
 * Whether an embedded ICC profile is sRGB in all but name: RGB, its primaries sRGB's (D50-adapted, as ICC stores them)
 * and each tone curve sRGB's. Converting such a profile to sRGB changes no pixel, yet libvips builds a colour transform
 * for it on every decode (8-20 ms of CPU for the bench's photos), so the decoder may ignore it. Any other profile (Adobe
 * RGB, Display P3, a plain 2.2 gamma, CMYK, grey) is converted, because converting it does change the pixels.
 */

/** sRGB's colorants in the profile connection space (ICC.1, D50; the values sRGB IEC61966-2.1 profiles carry). */
const SRGB_COLORANTS = {
  rXYZ: [0.4361, 0.2225, 0.0139],
  gXYZ: [0.3851, 0.7169, 0.0971],
  bXYZ: [0.1431, 0.0606, 0.7141],
} as const;
/** Tolerances: colorants are s15Fixed16 rounded by each profile maker; curve samples are 16-bit or parametric. */
const COLORANT_TOLERANCE = 0.003;
const CURVE_TOLERANCE = 0.005;
const CURVE_PROBES = [0.02, 0.1, 0.25, 0.5, 0.75, 0.95];

/** sRGB's electro-optical transfer function. */
const srgbToLinear = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);

interface Tag {
  readonly offset: number;
  readonly size: number;
}

function tagTable(icc: Buffer): Map<string, Tag> | undefined {
  if (icc.length < 132) return undefined;
  const count = icc.readUInt32BE(128);
  if (count > 100 || 132 + count * 12 > icc.length) return undefined;
  const tags = new Map<string, Tag>();
  for (let i = 0; i < count; i++) {
    const at = 132 + i * 12;
    const offset = icc.readUInt32BE(at + 4);
    const size = icc.readUInt32BE(at + 8);
    if (offset + size > icc.length || size < 8) return undefined;
    tags.set(icc.toString('latin1', at, at + 4), { offset, size });
  }
  return tags;
}

const s15Fixed16 = (icc: Buffer, at: number) => icc.readInt32BE(at) / 65536;

function colorantMatches(icc: Buffer, tag: Tag | undefined, want: readonly number[]): boolean {
  if (!tag || tag.size < 20 || icc.toString('latin1', tag.offset, tag.offset + 4) !== 'XYZ ') return false;
  return want.every((v, i) => Math.abs(s15Fixed16(icc, tag.offset + 8 + i * 4) - v) <= COLORANT_TOLERANCE);
}

/** The tone curve as a function on 0-1, from a 'curv' table or gamma, or a 'para' parametric curve (ICC.1 types 0-4). */
function toneCurve(icc: Buffer, tag: Tag | undefined): ((v: number) => number) | undefined {
  if (!tag) return undefined;
  const type = icc.toString('latin1', tag.offset, tag.offset + 4);
  if (type === 'curv') {
    const count = icc.readUInt32BE(tag.offset + 8);
    if (tag.size < 12 + count * 2) return undefined;
    if (count === 0) return (v) => v;
    if (count === 1) {
      const gamma = icc.readUInt16BE(tag.offset + 12) / 256;
      return (v) => v ** gamma;
    }
    return (v) => {
      const x = v * (count - 1);
      const i = Math.min(count - 2, Math.floor(x));
      const a = icc.readUInt16BE(tag.offset + 12 + i * 2) / 65535;
      const b = icc.readUInt16BE(tag.offset + 14 + i * 2) / 65535;
      return a + (b - a) * (x - i);
    };
  }
  if (type === 'para') {
    const fn = icc.readUInt16BE(tag.offset + 8);
    const params = [0, 0, 0, 0, 0, 0, 0].map((_, i) => (tag.size >= 16 + (i + 1) * 4 ? s15Fixed16(icc, tag.offset + 12 + i * 4) : 0));
    const [g, a, b, c, d, e, f] = params as [number, number, number, number, number, number, number];
    const power = (x: number) => (x > 0 ? x ** g : 0);
    switch (fn) {
      case 0: return (v) => v ** g;
      case 1: return (v) => (v >= -b / a ? power(a * v + b) : 0);
      case 2: return (v) => (v >= -b / a ? power(a * v + b) + c : c);
      case 3: return (v) => (v >= d ? power(a * v + b) : c * v);
      case 4: return (v) => (v >= d ? power(a * v + b) + e : c * v + f);
      default: return undefined;
    }
  }
  return undefined;
}

function curveMatches(icc: Buffer, tag: Tag | undefined): boolean {
  const curve = toneCurve(icc, tag);
  return curve !== undefined && CURVE_PROBES.every((v) => Math.abs(curve(v) - srgbToLinear(v)) <= CURVE_TOLERANCE);
}

/** True only when the profile is an RGB display profile whose primaries and three tone curves are sRGB's. */
export function isSrgbProfile(icc: Buffer): boolean {
  if (icc.length < 132 || icc.toString('latin1', 16, 20) !== 'RGB ' || icc.toString('latin1', 20, 24) !== 'XYZ ') return false;
  const tags = tagTable(icc);
  if (!tags) return false;
  return (Object.entries(SRGB_COLORANTS) as [string, readonly number[]][]).every(([sig, want]) => colorantMatches(icc, tags.get(sig), want))
    && ['rTRC', 'gTRC', 'bTRC'].every((sig) => curveMatches(icc, tags.get(sig)));
}
