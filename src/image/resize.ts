/** Resize decoded RGB to one model's input, by the rule its manifest names. */
import sharp from 'sharp';
import type { InputSpec, Interpolation } from '../bundle/manifest.js';
import type { RawImage } from './decode.js';

const KERNELS: Record<Interpolation, 'linear' | 'cubic' | 'nearest'> = {
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

/** Model input pixels: uint8 HWC RGB of exactly spec.height x spec.width. */
export async function resizeForModel(image: RawImage, spec: InputSpec): Promise<Uint8Array> {
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (spec.resize.method === 'shorter_side_center_crop') {
    pipeline = pipeline.extract(centerCropRegion(image.width, image.height, spec.resize.shorter_side, spec));
  }
  const { data, info } = await pipeline
    .resize({ width: spec.width, height: spec.height, fit: 'fill', kernel: KERNELS[spec.interpolation] })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== spec.width || info.height !== spec.height || info.channels !== 3) {
    throw new Error(`resize produced ${info.width}x${info.height}x${info.channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
