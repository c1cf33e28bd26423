/**
 * A JPEG's header read in JavaScript, for the checks before decoding: the frame's size and components and the embedded
 * profile's colour space. sharp's metadata() answers the same at the cost of a whole sharp call (about 0.9 ms of CPU,
 * docs/performance.md, third pass); anything this reader does not expect (no frame before the first scan, a precision
 * other than 8, a profile in several chunks or shorter than its header) is left to sharp.
 */

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP2 = 0xe2;
/** Start-of-frame markers: SOF0-3, 5-7, 9-11, 13-15 (0xC4 DHT, 0xC8 JPG and 0xCC DAC are not frames). */
const isFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
const ICC_TAG = 'ICC_PROFILE\0';
/** The tag, then the chunk's sequence number and the number of chunks. */
const ICC_DATA_FROM = ICC_TAG.length + 2;
/** An ICC profile's header: its colour space sits at bytes 16-19 (src/image/icc.ts). */
const ICC_HEADER_BYTES = 128;

/** An APP2 segment that carries (a chunk of) an ICC profile. */
const isIccChunk = (segment: Uint8Array) =>
  segment.length >= ICC_DATA_FROM && Buffer.from(segment.buffer, segment.byteOffset, ICC_TAG.length).toString('latin1') === ICC_TAG;

/** What the checks before decoding read from a header: as sharp's metadata() names them. */
export interface JpegHeader {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly depth: 'uchar';
  /** The embedded profile (a view of the upload's bytes, at least its 128-byte header), when there is one. */
  readonly icc?: Buffer;
}

/** The header of a JPEG whose markers up to the first scan are as expected; undefined for anything else (ask sharp). */
export function readJpegHeader(bytes: Uint8Array): JpegHeader | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== SOI) return undefined;
  let frame: Omit<JpegHeader, 'icc'> | undefined;
  let icc: Buffer | undefined;
  for (let at = 2; at + 3 < bytes.length; ) {
    const marker = bytes[at + 1]!;
    if (bytes[at] !== 0xff || marker === 0x00 || marker === EOI || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) return undefined;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const segment = bytes.subarray(at + 4, at + 2 + length);
    if (length < 2 || segment.length !== length - 2) return undefined;
    if (marker === SOS) return frame && { ...frame, ...(icc ? { icc } : {}) };
    if (isFrame(marker)) {
      if (frame || segment.length < 6 || segment[0] !== 8) return undefined;
      frame = {
        height: (segment[1]! << 8) | segment[2]!,
        width: (segment[3]! << 8) | segment[4]!,
        channels: segment[5]!,
        depth: 'uchar',
      };
    } else if (marker === APP2 && isIccChunk(segment)) {
      const [sequence, chunks] = [segment[ICC_TAG.length], segment[ICC_TAG.length + 1]];
      if (icc || sequence !== 1 || chunks !== 1 || segment.length < ICC_DATA_FROM + ICC_HEADER_BYTES) return undefined;
      icc = Buffer.from(segment.buffer, segment.byteOffset + ICC_DATA_FROM, segment.length - ICC_DATA_FROM);
    }
    at += 2 + length;
  }
  return undefined;
}
