/** The rendered text set as data: which text, in which font, size, colours and background; the truth the images are made from. */
import type { ImageKind } from './score-text.js';

export type FontClass = 'sans' | 'serif' | 'mono';
export type RenderStyle = 'dark-on-light' | 'light-on-dark' | 'coloured' | 'photo' | 'document' | 'terminal';

export interface RenderFont {
  readonly family: string;
  readonly class: FontClass;
  /** Debian package that installs it (textset/install.sh). */
  readonly package: string;
  /** Cap height / font size, measured with sharp (librsvg) on an "H" at 100 px. */
  readonly capRatio: number;
}

export const FONTS: readonly RenderFont[] = [
  { family: 'DejaVu Sans', class: 'sans', package: 'fonts-dejavu-core', capRatio: 0.73 },
  { family: 'DejaVu Serif', class: 'serif', package: 'fonts-dejavu-core', capRatio: 0.73 },
  { family: 'DejaVu Sans Mono', class: 'mono', package: 'fonts-dejavu-core', capRatio: 0.73 },
  { family: 'Liberation Sans', class: 'sans', package: 'fonts-liberation2', capRatio: 0.69 },
  { family: 'Liberation Serif', class: 'serif', package: 'fonts-liberation2', capRatio: 0.65 },
  { family: 'Liberation Mono', class: 'mono', package: 'fonts-liberation2', capRatio: 0.66 },
];

/** Cap heights in px: the size of a capital letter as it lands in the image. */
export const CAP_HEIGHTS = [12, 16, 24, 40] as const;

export interface RenderSpec {
  readonly id: string;
  /** The text, lines in reading order: the truth. */
  readonly lines: readonly string[];
  readonly font: RenderFont;
  readonly capHeight: number;
  readonly style: RenderStyle;
  readonly foreground: string;
  readonly background: string;
  /** skimage sample photo behind the text (style "photo"): a file in SKIMAGE_DATA. */
  readonly photo?: string;
  /** Degrees, clockwise; 0 for most. */
  readonly rotation: number;
  readonly align: 'start' | 'middle';
  readonly kind: ImageKind;
  readonly acceptableKinds: readonly ImageKind[];
  /** Plain ground, not rotated: the subset the CER bound applies to (with capHeight >= 16). */
  readonly clean: boolean;
}

export const SKIMAGE_DATA = '/usr/lib/python3/dist-packages/skimage/data';

const SIGNS: readonly (readonly string[])[] = [
  ['EXIT'],
  ['Happy birthday!'],
  ['No parking'],
  ['Open 24 hours'],
  ['Welcome home'],
  ['Fresh coffee', 'served all day'],
  ['Mind the gap'],
  ['Platform 3'],
  ['Sale', '50% off everything'],
  ['Thank you for visiting'],
  ['Caution', 'Wet floor'],
  ['Room 204'],
  ['Closed on Sundays', 'Open Monday to Saturday 9 to 5'],
  ['Call 0161 496 0734'],
  ['https://example.org/opening-hours'],
  ['Keep calm', 'and carry on'],
  ['Congratulations', 'on your new job', 'from all of us'],
  ['Lost cat', 'Grey tabby, answers to Milo', 'Please call 07700 900123'],
  ['Menu', 'Soup of the day 4.50', 'Cheese sandwich 3.95', 'Pot of tea 2.20'],
  ['Meeting moved to', 'Thursday at 10:30'],
  ['Please wait here', 'until called'],
  ['Good morning'],
  ['Best wishes for 2027'],
  ['Do not feed the ducks'],
  ['Library', 'Quiet please'],
  ['Total: $18.75'],
  ['Save the date', 'June 14, 2027'],
  ['Bus stop'],
  ['Visit www.example.com/tickets'],
  ['Welcome to the', 'Spring Fair'],
];

const DOCUMENTS: readonly (readonly string[])[] = [
  ['The quick brown fox jumps over the lazy dog.', 'Pack my box with five dozen liquor jugs.', 'How vexingly quick daft zebras jump!'],
  ['Dear Sam,', 'The meeting has moved to Friday at noon.', 'Lunch will be provided.', 'Best regards, Priya'],
  ['A Tale of Two Cities', 'It was the best of times,', 'it was the worst of times,', 'it was the age of wisdom.'],
  ['Minutes of the meeting', 'Present: Ana, Ben and Chloe', '1. The budget was approved.', '2. Next meeting on 3 March.'],
  ['Invoice 2041', 'Paper, 5 reams 24.95', 'Delivery 4.00', 'Total due 28.95'],
  ['Instructions', 'Remove the cover and insert', 'two AA batteries. Close the', 'cover and press the red button.'],
];

const TERMINALS: readonly (readonly string[])[] = [
  ['$ npm test', '15 passed, 0 failed'],
  ['$ ls', 'README.md package.json src'],
  ['$ git status', 'On branch main', 'nothing to commit, working tree clean'],
  ['user@host:~$ ping -c 1 localhost', '64 bytes from localhost: icmp_seq=1 time=0.04 ms'],
  ['$ python3 --version', 'Python 3.11.2'],
  ['$ curl -s http://localhost:8080/readyz', 'ok'],
];

/** Foreground on background, for style "coloured": a red sign, yellow on blue, and so on. */
const PALETTES: readonly (readonly [string, string])[] = [
  ['#ffffff', '#c62828'],
  ['#ffd600', '#0d47a1'],
  ['#1b5e20', '#fff9c4'],
  ['#ffffff', '#00695c'],
  ['#4a148c', '#e1f5fe'],
];

const PHOTOS = ['coffee.png', 'chelsea.png', 'astronaut.png', 'motorcycle_left.png', 'brick.png', 'grass.png', 'coins.png', 'camera.png'];
const PHOTO_SIGNS = [0, 1, 2, 4, 6, 7, 10, 15, 21, 23, 26, 29];
const ROTATED: Readonly<Record<number, number>> = { 5: 3, 14: -2, 23: 5, 32: -4 };

function plainGround(i: number): Pick<RenderSpec, 'style' | 'foreground' | 'background'> {
  const style = (['dark-on-light', 'light-on-dark', 'coloured'] as const)[i % 3]!;
  if (style === 'dark-on-light') return { style, foreground: '#1a1a1a', background: '#ffffff' };
  if (style === 'light-on-dark') return { style, foreground: '#f0f0f0', background: '#202428' };
  const [foreground, background] = PALETTES[Math.floor(i / 3) % PALETTES.length]!;
  return { style, foreground, background };
}

/** The 60 images, in a fixed order: 36 text graphics, 12 text on photos, 6 documents, 6 terminals. */
export function renderSpecs(): RenderSpec[] {
  const specs: RenderSpec[] = [];
  const id = (prefix: string, n: number) => `${prefix}-${String(n + 1).padStart(2, '0')}`;
  for (let i = 0; i < 36; i++) {
    const rotation = ROTATED[i] ?? 0;
    specs.push({
      id: id('graphic', i),
      lines: SIGNS[i % SIGNS.length]!,
      font: FONTS[i % 6]!,
      capHeight: CAP_HEIGHTS[i % 4]!,
      ...plainGround(i),
      rotation,
      align: 'middle',
      kind: 'graphic',
      acceptableKinds: ['drawing', 'document'],
      clean: rotation === 0,
    });
  }
  PHOTO_SIGNS.forEach((sign, i) => {
    specs.push({
      id: id('photo', i),
      lines: SIGNS[sign]!,
      font: FONTS[[0, 1, 3, 4][i % 4]!]!,
      capHeight: CAP_HEIGHTS[(i + 1) % 4]!,
      style: 'photo',
      foreground: '#ffffff',
      background: '#000000',
      photo: PHOTOS[i % PHOTOS.length]!,
      rotation: i === 3 ? -3 : i === 8 ? 2 : 0,
      align: 'middle',
      kind: 'photo',
      acceptableKinds: ['graphic'],
      clean: false,
    });
  });
  DOCUMENTS.forEach((lines, i) => {
    specs.push({
      id: id('document', i),
      lines,
      font: FONTS[[1, 4, 0, 3][i % 4]!]!,
      capHeight: CAP_HEIGHTS[i % 3]!,
      style: 'document',
      foreground: '#111111',
      background: '#fbfbf8',
      rotation: i === 4 ? 1.5 : 0,
      align: 'start',
      kind: 'document',
      acceptableKinds: ['graphic'],
      clean: i !== 4,
    });
  });
  TERMINALS.forEach((lines, i) => {
    specs.push({
      id: id('terminal', i),
      lines,
      font: FONTS[i % 2 === 0 ? 2 : 5]!,
      capHeight: CAP_HEIGHTS[i % 3]!,
      style: 'terminal',
      foreground: '#d4d4d4',
      background: '#0c0c0c',
      rotation: 0,
      align: 'start',
      kind: 'screenshot',
      acceptableKinds: [],
      clean: true,
    });
  });
  return specs;
}
