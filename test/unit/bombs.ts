/** Bombs from issue 12's attack run, generated small: the headers claim what the attack files claimed. */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** A grey 7071 x 7071 progressive JPEG: a real 8 x 8 header with its frame size patched, then `scans` empty AC scans. */
export async function scanBomb(scans: number): Promise<Buffer> {
  const small = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
    .greyscale()
    .jpeg({ progressive: true })
    .toBuffer();
  const sof = small.indexOf(Buffer.from([0xff, 0xc2]));
  const header = Buffer.from(small.subarray(0, small.indexOf(Buffer.from([0xff, 0xda]))));
  header.writeUInt16BE(7071, sof + 5);
  header.writeUInt16BE(7071, sof + 7);
  // DC first scan, then AC refinement scans of the one component (Ss 1, Se 63, Ah 1, Al 0) with no entropy data.
  const dc = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00]);
  const ac = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x01, 0x3f, 0x10]);
  return Buffer.concat([header, dc, ...Array.from({ length: scans - 1 }, () => ac), Buffer.from([0xff, 0xd9])]);
}

/** Set the size in every `ispe` box (HEIF / AVIF image spatial extents) to `width` x `height`. */
export function patchIspe(bytes: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(bytes);
  let patched = 0;
  for (let at = out.indexOf('ispe'); at >= 0; at = out.indexOf('ispe', at + 4)) {
    out.writeUInt32BE(width, at + 8);
    out.writeUInt32BE(height, at + 12);
    patched += 1;
  }
  if (patched === 0) throw new Error('no ispe box');
  return out;
}

/** A PNG whose IHDR declares `width` x `height` (CRC fixed); its pixel data is a small image's, so only the header is big. */
export async function pngWithHeader(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(
    await sharp({ create: { width: 5, height: 10, channels: 3, background: '#808080' } })
      .png()
      .toBuffer(),
  );
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

/**
 * Issue 25, finding 1: a real progressive JPEG (`source` re-encoded by sharp) with one 0x00 before its first SOS (libjpeg
 * skips it with a warning) and its last scan repeated `extraScans` times before EOI.
 */
export async function strayByteScanBomb(source: Buffer, extraScans: number): Promise<Buffer> {
  const progressive = await sharp(source).jpeg({ progressive: true }).toBuffer();
  const sos = Buffer.from([0xff, 0xda]);
  const first = progressive.indexOf(sos);
  const end = progressive.length - 2; // EOI
  const lastScan = progressive.subarray(progressive.lastIndexOf(sos), end);
  return Buffer.concat([
    progressive.subarray(0, first),
    Buffer.from([0x00]),
    progressive.subarray(first, end),
    ...Array.from({ length: extraScans }, () => lastScan),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** Issue 25, finding 2: a 16-bit RGB Adam7-interlaced PNG whose IHDR declares `width` x `height` (the data is 8 x 8's). */
export async function png16InterlacedWithHeader(width: number, height: number): Promise<Buffer> {
  const small = sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).toColourspace('rgb16');
  const png = Buffer.from(await small.png({ progressive: true }).toBuffer());
  if (png[24] !== 16 || png[28] !== 1) throw new Error('sharp did not write a 16-bit interlaced PNG');
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}
