/** Resize decoded RGB to one model's input, by the rule its manifest names. */
import sharp from 'sharp';
import type { InputSpec, Interpolation } from '../bundle/manifest.js';
import type { RawImage } from './decode.js';

export const KERNELS: Record<Interpolation, 'linear' | 'cubic' | 'nearest'> = {
  bilinear: 'linear',
  bicubic: 'cubic',
  nearest: 'nearest',
};

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The source rectangle that, scaled so the shorter side is `shorterSide`, gives the centred height x width crop. */
export function centerCropRegion(width: number, height: number, shorterSide: number, spec: InputSpec): Region {
  const scale = shorterSide / Math.min(width, height);
  const cropWidth = Math.min(width, Math.max(1, Math.round(spec.width / scale)));
  const cropHeight = Math.min(height, Math.max(1, Math.round(spec.height / scale)));
  return {
    left: Math.floor((width - cropWidth) / 2),
    top: Math.floor((height - cropHeight) / 2),
    width: cropWidth,
    height: cropHeight,
  };
}

/** The size the image is scaled to before a letterbox pads it to spec.width x spec.height (top-left anchored). */
export function letterboxSize(width: number, height: number, spec: Pick<InputSpec, 'width' | 'height'>): { width: number; height: number } {
  const scale = Math.min(spec.width / width, spec.height / height);
  return {
    width: Math.max(1, Math.min(spec.width, Math.round(width * scale))),
    height: Math.max(1, Math.min(spec.height, Math.round(height * scale))),
  };
}

/** The region's rows copied out of the image: a centre crop of a decode already at the model's scale needs no resampling. */
function copyRegion(image: RawImage, region: Region): Uint8Array {
  const out = new Uint8Array(region.width * region.height * 3);
  const rowBytes = region.width * 3;
  for (let y = 0; y < region.height; y += 1) {
    const from = ((region.top + y) * image.width + region.left) * 3;
    out.set(image.data.subarray(from, from + rowBytes), y * rowBytes);
  }
  return out;
}

/** Model input pixels: uint8 HWC RGB of exactly spec.height x spec.width. */
export async function resizeForModel(image: RawImage, spec: InputSpec): Promise<Uint8Array> {
  const rule = spec.resize;
  if (rule.method === 'text_line') throw new Error('text_line inputs are cut and scaled line by line (cutTextLine)');
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (rule.method === 'shorter_side_center_crop') {
    const region = centerCropRegion(image.width, image.height, rule.shorter_side, spec);
    if (region.width === spec.width && region.height === spec.height) return copyRegion(image, region);
    pipeline = pipeline.extract(region);
  }
  if (rule.method === 'letterbox') {
    const inner = letterboxSize(image.width, image.height, spec);
    const fill = { r: rule.fill, g: rule.fill, b: rule.fill };
    pipeline = pipeline
      .resize({ ...inner, fit: 'fill', kernel: KERNELS[spec.interpolation] })
      .extend({ right: spec.width - inner.width, bottom: spec.height - inner.height, background: fill });
  } else {
    pipeline = pipeline.resize({ width: spec.width, height: spec.height, fit: 'fill', kernel: KERNELS[spec.interpolation] });
  }
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== spec.width || info.height !== spec.height || info.channels !== 3) {
    throw new Error(`resize produced ${info.width}x${info.height}x${info.channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
