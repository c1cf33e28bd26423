/** Seeded mutation of the committed fixtures: the inputs of the fuzzing attack, reproducible from (seed, index). */
import { fixture } from '../support/service.js';

/** The fixtures mutated, with the content type each is honestly sent as. */
export const SEEDS: readonly { name: string; type: string }[] = [
  { name: 'cat.jpg', type: 'image/jpeg' },
  { name: 'cat-cmyk.jpg', type: 'image/jpeg' },
  { name: 'cat-exif-rotated.jpg', type: 'image/jpeg' },
  { name: 'camera-gray.png', type: 'image/png' },
  { name: 'coffee-alpha.png', type: 'image/png' },
  { name: 'coffee.webp', type: 'image/webp' },
  { name: 'cat-then-red.gif', type: 'image/gif' },
  { name: 'rocket.avif', type: 'image/avif' },
  { name: 'coffee.heif', type: 'image/heif' },
  { name: 'motorcycle.tiff', type: 'image/tiff' },
];

/** Every content type the spec accepts; a mutated input is sent as its own type or, one time in four, as another. */
export const CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/avif',
  'image/tiff',
  'image/heif',
  'multipart/form-data',
];

/** mulberry32: small, fast, good enough to pick mutations; the same seed gives the same run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (bytes: Buffer, rnd: () => number) => Buffer;
const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe];
const at = (bytes: Buffer, rnd: () => number, headBias = true) =>
  // Half the edits land in the first 512 bytes, where the headers (sizes, scan tables, boxes) are.
  Math.floor(rnd() * (headBias && rnd() < 0.5 ? Math.min(512, bytes.length) : bytes.length));

export const MUTATIONS: Record<string, Mutation> = {
  flipBits(bytes, rnd) {
    const out = Buffer.from(bytes);
    for (let i = 1 + Math.floor(rnd() * 8); i > 0; i -= 1) out[at(out, rnd)]! ^= 1 << Math.floor(rnd() * 8);
    return out;
  },
  interestingBytes(bytes, rnd) {
    const out = Buffer.from(bytes);
    for (let i = 1 + Math.floor(rnd() * 4); i > 0; i -= 1) out[at(out, rnd)] = INTERESTING[Math.floor(rnd() * INTERESTING.length)]!;
    return out;
  },
  bigNumber(bytes, rnd) {
    // A 16- or 32-bit field set to a huge value: widths, heights, box and chunk lengths.
    const out = Buffer.from(bytes);
    const offset = Math.min(at(out, rnd), out.length - 4);
    if (rnd() < 0.5) out.writeUInt16BE(0xffff, offset);
    else out.writeUInt32BE(rnd() < 0.5 ? 0xffffffff : 0x7fffffff, offset);
    return out;
  },
  truncate: (bytes, rnd) => bytes.subarray(0, Math.floor(rnd() * bytes.length)),
  deleteRange(bytes, rnd) {
    const start = at(bytes, rnd);
    return Buffer.concat([bytes.subarray(0, start), bytes.subarray(start + 1 + Math.floor(rnd() * 256))]);
  },
  duplicateRange(bytes, rnd) {
    const start = at(bytes, rnd);
    const chunk = bytes.subarray(start, start + 1 + Math.floor(rnd() * 1024));
    return Buffer.concat([bytes.subarray(0, start), chunk, chunk, bytes.subarray(start)]);
  },
  insertRandom(bytes, rnd) {
    const start = at(bytes, rnd);
    const junk = Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
    return Buffer.concat([bytes.subarray(0, start), junk, bytes.subarray(start)]);
  },
  spliceOther(bytes, rnd) {
    // The head of this file on the tail of another: valid magic bytes over the wrong format's body.
    const other = fixture(SEEDS[Math.floor(rnd() * SEEDS.length)]!.name);
    const cut = at(bytes, rnd);
    return Buffer.concat([bytes.subarray(0, cut), other.subarray(Math.floor(rnd() * other.length))]);
  },
};
const NAMES = Object.keys(MUTATIONS);

export interface FuzzCase {
  readonly index: number;
  readonly seed: string;
  readonly mutations: string[];
  readonly type: string;
  readonly body: Buffer;
}

/** The `index`-th fuzz input of run `seed`: 1 to 3 mutations of one fixture, as one of the accepted content types. */
export function fuzzCase(seed: number, index: number): FuzzCase {
  const rnd = random(seed * 1_000_003 + index);
  const origin = SEEDS[index % SEEDS.length]!;
  let body = fixture(origin.name);
  const mutations: string[] = [];
  for (let n = 1 + Math.floor(rnd() * 3); n > 0; n -= 1) {
    const name = NAMES[Math.floor(rnd() * NAMES.length)]!;
    mutations.push(name);
    body = MUTATIONS[name]!(body, rnd);
  }
  const type = rnd() < 0.75 ? origin.type : CONTENT_TYPES[Math.floor(rnd() * CONTENT_TYPES.length)]!;
  return { index, seed: origin.name, mutations, type, body };
}

/** A multipart/form-data body with `bytes` in the field "image" (boundary fixed; a mutation may hit it, which is fine). */
export function multipart(bytes: Buffer, type: string): { body: Buffer; type: string } {
  const boundary = 'imgsense-attack-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="x"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}
