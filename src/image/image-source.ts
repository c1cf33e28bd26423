/** One upload, checked once and decoded on demand: each size a model asks for is decoded once and kept for the request. */
import {
  checkUpload,
  DECODE_LIMIT_DEFAULTS,
  decodeChecked,
  type CheckedUpload,
  type DecodeOptions,
  type QuarterTurn,
  type RawImage,
} from './decode.js';
import type { ImageFormat } from './detect-format.js';
import { throwIfRequestOver } from '../runtime/request-signal.js';
import { turnRaw } from './turn.js';

/** The limits an upload is checked against (DecodeOptions without a size: the size is what a model asks for). */
export type ImageLimits = Omit<DecodeOptions, 'workingShorterSide'>;

/** The limits' names: the pixel limit and every limit with a default, so a new limit in decode.ts is picked up here too. */
const LIMITS = ['maxPixels', ...Object.keys(DECODE_LIMIT_DEFAULTS)] as (keyof ImageLimits)[];

/** Just the limits, picked from a larger settings object (the service's config names them alike). */
export function imageLimits(settings: ImageLimits): ImageLimits {
  return Object.fromEntries(
    LIMITS.filter((key) => settings[key] !== undefined).map((key) => [key, settings[key]]),
  ) as unknown as ImageLimits;
}

interface Decode {
  /** The shorter side asked for. */
  readonly asked: number;
  readonly image: RawImage;
}

/**
 * A decode asked at `asked` serves any size up to its own shorter side, and every size when it came out smaller than
 * asked (the upload itself is smaller, and a decode never enlarges).
 */
const covers = ({ asked, image }: Decode, shorterSide: number) => {
  const side = Math.min(image.width, image.height);
  return side >= shorterSide || side < asked;
};

/** The upload's pixels at the sizes the models need; `working` is the decode every model shares unless it asks for more. */
export class ImageSource {
  private readonly decodes: Decode[] = [];
  private readonly pending = new Map<number, Promise<RawImage>>();

  private constructor(
    private readonly bytes: Buffer | undefined,
    private readonly checked: CheckedUpload,
    private readonly limits: ImageLimits,
    first: Decode,
    /** Clockwise degrees every decode of this source is turned by (a photo stored sideways); none for the upload as stored. */
    readonly turn?: QuarterTurn,
  ) {
    this.decodes.push(first);
  }

  /** Check the upload (magic bytes, JPEG scans, header, limits) and decode it at the working size; throws ImageRejectedError. */
  static async open(bytes: Buffer, limits: ImageLimits, workingShorterSide: number): Promise<ImageSource> {
    const checked = await checkUpload(bytes, limits);
    const image = await decodeChecked(bytes, checked, { ...limits, workingShorterSide });
    return new ImageSource(bytes, checked, limits, { asked: workingShorterSide, image });
  }

  /** Pixels already decoded, as one whole image that serves every size (tests and tools that build images themselves). */
  static of(image: RawImage): ImageSource {
    return new ImageSource(
      undefined,
      { format: image.format, srgbProfile: false },
      { maxPixels: image.width * image.height },
      { asked: Infinity, image },
    );
  }

  /**
   * The same upload turned clockwise by `turn` (from the upload as stored): the working decode turned in memory, any
   * larger size decoded turned. A source made by `of` is one decode that serves every size, so it is all turned at once.
   */
  async turned(turn: QuarterTurn): Promise<ImageSource> {
    const first = this.decodes[0]!;
    const stored = this.turn ? await turnRaw(first.image, (360 - this.turn) as QuarterTurn) : first.image;
    return new ImageSource(this.bytes, this.checked, this.limits, { asked: first.asked, image: await turnRaw(stored, turn) }, turn);
  }

  get format(): ImageFormat {
    return this.checked.format;
  }

  /** The first decode, at the working size: what the classifier, the detectors and the image statistics read. */
  get working(): RawImage {
    return this.decodes[0]!.image;
  }

  /**
   * The image with a shorter side of at least `shorterSide`, or the whole upload when it is smaller: the smallest decode
   * so far that covers it, else a new one at that size, decoded once however many ask. No new decode starts once the
   * request is over (its deadline passed, its client left): that rejects with the request's reason.
   */
  async at(shorterSide: number): Promise<RawImage> {
    const covering = this.decodes.filter((d) => covers(d, shorterSide));
    if (covering.length > 0) return covering.reduce((a, b) => (a.image.data.length <= b.image.data.length ? a : b)).image;
    let decoding = this.pending.get(shorterSide);
    if (!decoding) {
      throwIfRequestOver(); // a decode cannot be stopped once sharp runs it: start none for a request that is over
      const turn = this.turn ? { turn: this.turn } : {};
      decoding = decodeChecked(this.bytes!, this.checked, { ...this.limits, workingShorterSide: shorterSide, ...turn });
      this.pending.set(shorterSide, decoding);
      decoding
        .then(
          (image) => this.decodes.push({ asked: shorterSide, image }),
          () => undefined,
        )
        .finally(() => this.pending.delete(shorterSide));
    }
    return decoding;
  }
}
