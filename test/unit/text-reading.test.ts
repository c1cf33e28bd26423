/** OCR post-processing (DB regions, CTC decoding, reading order) and how text and kind enter the alt-text. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeCaption, quoteWithin } from '../../src/caption/compose-caption.js';
import type { SceneFacts } from '../../src/caption/describe-scene.js';
import { ENGLISH_GRAMMAR } from '../../src/caption/languages/english.js';
import { imageKind, looksRendered, worthReading } from '../../src/caption/image-kind.js';
import type { KindEvidence, TextEvidence } from '../../src/caption/kind-evidence.js';
import { flatPanel, imageStatistics } from '../../src/image/image-statistics.js';
import { ruledLines } from '../../src/image/ruled-lines.js';
import { ALT_TEXT_MAX_CHARS } from '../../src/caption/compose-alt-text.js';
import { textRegions } from '../../src/models/text-detector.js';
import { readingOrder } from '../../src/models/text-reader.js';
import { ctcDecode, dropStrayIdeographs } from '../../src/models/text-recognizer.js';

/** The longest ruled line either way, as the kind evidence's `ruled` weighs it. */
const ruledLine = (image: Parameters<typeof ruledLines>[0]) => Math.max(...Object.values(ruledLines(image)));

/** A w x h map with the given rectangles (inclusive-exclusive pixel bounds) set to p. */
function map(w: number, h: number, rects: readonly [number, number, number, number, number][]): Float32Array {
  const m = new Float32Array(w * h);
  for (const [x0, y0, x1, y1, p] of rects) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = p;
  return m;
}

describe('text regions from a DB probability map', () => {
  it('when two separate blobs are over the threshold, then two regions, each grown by the unclip distance', () => {
    const regions = textRegions(
      map(100, 50, [
        [10, 10, 40, 20, 0.9],
        [60, 30, 90, 40, 0.8],
      ]),
      100,
      { width: 100, height: 50 },
    );
    assert.equal(regions.length, 2);
    // 31 x 11 after the 2 x 2 dilation; grow = 31 * 11 * 1.6 / (2 * 42) = 6.50 px on each side.
    const first = regions[0]!.box;
    assert.ok(Math.abs(first.x * 100 - (10 - 6.5)) < 0.01, `x ${first.x}`);
    assert.ok(Math.abs(first.width * 100 - (31 + 13)) < 0.05, `width ${first.width}`);
  });
  it('when a blob is faint (mean under the box threshold), then it is no region', () => {
    assert.equal(textRegions(map(100, 50, [[10, 10, 40, 20, 0.4]]), 100, { width: 100, height: 50 }).length, 0);
  });
  it('when the letterbox padding lies right of the image, then the map there is ignored', () => {
    assert.equal(textRegions(map(100, 50, [[70, 10, 95, 20, 0.9]]), 100, { width: 60, height: 50 }).length, 0);
  });
});

describe('CTC greedy decoding', () => {
  const chars = ['', 'a', 'b', ' '];
  const steps = (...pairs: [number, number][]) => Float32Array.from(pairs.flat());
  it('when a class repeats without a blank, then it is read once; with a blank between, twice', () => {
    assert.equal(ctcDecode(steps([1, 0.9], [1, 0.9], [0, 1], [1, 0.8], [2, 0.7]), chars).text, 'aab');
  });
  it('then the score is the mean probability of the characters kept', () => {
    assert.ok(Math.abs(ctcDecode(steps([1, 0.9], [0, 1], [2, 0.5]), chars).score - 0.7) < 1e-6);
  });
  it('when mostly Latin text holds stray ideographs, then they are dropped, a lone one with its line; mostly ideographs are kept', () => {
    const line = (text: string) => ({ text, score: 0.9 });
    assert.deepEqual(
      dropStrayIdeographs([line('Simple 2-D Plot 区 0.5'), line('口'), line('Android 4.1')]).map((l) => l.text),
      ['Simple 2-D Plot 0.5', 'Android 4.1'],
    );
    assert.deepEqual(
      dropStrayIdeographs([line('出口'), line('入口'), line('EXIT')]).map((l) => l.text),
      ['出口', '入口', 'EXIT'],
    );
  });
});

describe('reading order', () => {
  const box = (x: number, y: number, width = 0.2, height = 0.05) => ({ box: { x, y, width, height } });
  it('when regions share a row, then left to right; rows top to bottom', () => {
    const rows = readingOrder([box(0.5, 0.1), box(0.1, 0.3), box(0.1, 0.11)]);
    assert.deepEqual(
      rows.map((r) => r.map((m) => m.box.x)),
      [[0.1, 0.5], [0.1]],
    );
  });
});

describe('text and kind in the alt-text', () => {
  const at = { x: 0.4, y: 0.4, width: 0.2, height: 0.2 };
  const labelled = (name: string, isRoot = false): SceneFacts => ({
    form: 'label',
    label: { id: `id-${name}`, name, score: 0.5, path: [], isRoot },
  });
  const nothing = labelled('entity', true);
  const say = (facts: SceneFacts, kind: Parameters<typeof composeCaption>[1], content: string) =>
    composeCaption(facts, kind, content, ENGLISH_GRAMMAR);
  it('when a photo of 2 people has text, then the text is one more item of the list', () => {
    const said = say(
      { form: 'list', people: 2, peopleAt: at, objects: [{ id: 'n07613480', name: 'cake', count: 1, at }] },
      'photo',
      'Happy birthday',
    );
    assert.equal(said.alt_text, "May be an image of 2 people, a cake and text that says 'Happy birthday'.");
  });
  it('when nothing else is known, then the text alone is the image', () => {
    assert.equal(say(nothing, 'photo', 'Mind the gap').alt_text, "May be an image of text that says 'Mind the gap'.");
  });
  it('when it is a screenshot, then the kind leads', () => {
    assert.equal(say(labelled('website'), 'screenshot', '$ git status').alt_text, "A screenshot with text that says '$ git status'.");
  });
  it('when it is a drawing the classifier names, then "a drawing of what may be"', () => {
    assert.equal(say(labelled('horse'), 'drawing', '').alt_text, 'A drawing of what may be a horse.');
  });
  it('when the text is long, then it is cut at a word boundary within the budget, and the description keeps all of it', () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const said = say(nothing, 'document', long);
    assert.ok(said.alt_text.length <= ALT_TEXT_MAX_CHARS, said.alt_text);
    assert.match(said.alt_text, /^A document with text that says 'word0 .* word\d+…'\.$/);
    assert.ok(said.description.includes('word39'));
  });
  it('when there is no room for a useful quote, then no quote', () => {
    assert.equal(quoteWithin('anything', 5), undefined);
  });
});

describe('image kind', () => {
  const rendered = { backgroundLuma: 250, exact: 0.93, gradual: 0.02, white: 0.9, windowEdge: 0.3 };
  const camera = { backgroundLuma: 120, exact: 0.05, gradual: 0.6, white: 0, windowEdge: 0.4 };
  type Answers = Omit<KindEvidence, 'text'>;
  const evidence = (statistics: typeof rendered, screen = 0, textBearing = 0): Answers => ({
    statistics,
    screen,
    textBearing,
    panel: undefined,
    ruled: 0,
    axes: 0,
  });
  // The text is set on the answers themselves, not on a copy: a copy would read every getter of a watched object.
  const kindOf = (answers: Answers, text: TextEvidence | undefined) =>
    imageKind(Object.defineProperty(answers, 'text', { value: async () => text, configurable: true }) as KindEvidence);
  it('when the pixels are a camera image, then photo, whatever text it has', async () => {
    assert.equal(await kindOf(evidence(camera), { lines: 1, coverage: 0.05, lefts: [0.1], middles: [] }), 'photo');
  });
  it('when a rendered page has many lines on a light ground, then document', async () => {
    assert.equal(await kindOf(evidence(rendered), { lines: 8, coverage: 0.4, lefts: [0.1], middles: [] }), 'document');
  });
  it('when a rendered image has a few small labels, then chart; none, then drawing', async () => {
    assert.equal(await kindOf(evidence(rendered), { lines: 4, coverage: 0.05, lefts: [0.1, 0.5], middles: [] }), 'chart');
    assert.equal(await kindOf(evidence(rendered), { lines: 0, coverage: 0, lefts: [], middles: [] }), 'drawing');
  });
  it('when light text is on a dark ground, then its lines left-aligned are a terminal and centred ones a sign', async () => {
    const dark = { ...rendered, backgroundLuma: 20, white: 0 };
    assert.equal(await kindOf(evidence(dark), { lines: 3, coverage: 0.3, lefts: [0.02, 0.02, 0.03], middles: [] }), 'screenshot');
    assert.equal(await kindOf(evidence(dark), { lines: 2, coverage: 0.3, lefts: [0.2, 0.35], middles: [] }), 'drawing');
  });
  it('when a JPEG chart sits on paper white, then text makes it a chart, and without text a product shot stays a photo', async () => {
    const paper = { ...camera, white: 0.5, gradual: 0.2, exact: 0.55 };
    assert.equal(await kindOf(evidence(paper), { lines: 6, coverage: 0.05, lefts: [0.1, 0.3, 0.5], middles: [] }), 'chart');
    assert.equal(await kindOf(evidence(paper), { lines: 0, coverage: 0, lefts: [], middles: [] }), 'photo');
  });
  it('when the text is mostly numbers, then a plot: a page of them is a chart, and so are ruled panels a screen class likes', async () => {
    const page = { lines: 15, coverage: 0.16, lefts: [0.1, 0.3], middles: [] };
    assert.equal(await kindOf(evidence(rendered), { ...page, digits: 0.49 }), 'chart');
    assert.equal(await kindOf(evidence(rendered), { ...page, digits: 0.33 }), 'document');
    const panels = { ...evidence(rendered, 0.55), ruled: 0.87, axes: 0.12 };
    assert.equal(await kindOf(panels, { lines: 20, coverage: 0.18, lefts: [0.1], middles: [], digits: 0.63 }), 'chart');
    assert.equal(await kindOf({ ...panels }, { lines: 20, coverage: 0.18, lefts: [0.1], middles: [], digits: 0.05 }), 'screenshot');
  });
  it('when the classifier sees a web site, then screenshot', async () => {
    assert.equal(await kindOf(evidence(rendered, 0.6), { lines: 3, coverage: 0.1, lefts: [0.1], middles: [] }), 'screenshot');
  });
  it("when a photo sits under a straight edge across the whole width near the top (a window's title bar), then screenshot", async () => {
    assert.equal(await kindOf(evidence({ ...camera, windowEdge: 0.99 }), undefined), 'screenshot');
    assert.equal(
      await kindOf(evidence({ ...rendered, windowEdge: 0.99 }), { lines: 0, coverage: 0, lefts: [], middles: [] }),
      'screenshot',
    );
  });
  it('when a title bar ends in a row edge, then windowEdge finds it; a plain gradient has none', () => {
    const [width, height] = [80, 100];
    const data = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y += 1)
      for (let x = 0; x < width; x += 1) data.fill(y < 6 ? 40 : 100 + y, (y * width + x) * 3, (y * width + x + 1) * 3);
    assert.equal(imageStatistics({ data, width, height, format: 'png' }).windowEdge, 1);
    for (let y = 0; y < 6; y += 1) data.fill(100 + y, y * width * 3, (y + 1) * width * 3);
    assert.equal(imageStatistics({ data, width, height, format: 'png' }).windowEdge, 0);
  });
  it('when a photo has a flat console panel along its bottom, then the panel is found, its text makes a screenshot, and text above it does not', async () => {
    const [width, height] = [120, 200];
    const data = Buffer.alloc(width * height * 3);
    // A camera-like gradient with noise above row 160, exact black below it.
    for (let y = 0; y < 160; y += 1)
      for (let x = 0; x < width; x += 1) data.fill(60 + ((x * 3 + y * 5) % 40), (y * width + x) * 3, (y * width + x + 1) * 3);
    const panel = flatPanel({ data, width, height, format: 'png' });
    assert.ok(panel, 'panel found');
    assert.ok(Math.abs(panel.from - 0.8) < 0.02 && panel.to === 1, JSON.stringify(panel));
    const scene = { ...evidence(camera), panel };
    assert.equal(worthReading(scene), true);
    assert.equal(await kindOf(scene, { lines: 3, coverage: 0.05, lefts: [0, 0, 0], middles: [0.85, 0.9, 0.95] }), 'screenshot');
    assert.equal(await kindOf(scene, { lines: 2, coverage: 0.05, lefts: [0.3, 0.3], middles: [0.2, 0.4] }), 'photo');
    // The same scene without the panel: noise all the way down has no flat band.
    for (let y = 160; y < height; y += 1)
      for (let x = 0; x < width; x += 1) data.fill(60 + ((x * 3 + y * 5) % 40), (y * width + x) * 3, (y * width + x + 1) * 3);
    assert.equal(flatPanel({ data, width, height, format: 'png' }), undefined);
  });
  it('when a JPEG figure on paper has ruled axes and one legible label, then chart; without the rule, a product shot stays a photo', async () => {
    const paper = { ...camera, white: 0.5, gradual: 0.2, exact: 0.55 };
    const text = { lines: 1, coverage: 0.001, lefts: [0.8], middles: [0.95] };
    assert.equal(await kindOf({ ...evidence(paper), ruled: 0.9 }, text), 'chart');
    assert.equal(await kindOf({ ...evidence(paper), ruled: 0.1 }, text), 'photo');
  });
  it('when a plot on paper has axes on two sides, then chart however much of it its numbers cover; rules one way stay a page', async () => {
    const numbers = { lines: 7, coverage: 0.3, lefts: [0.1, 0.12], middles: [0.2, 0.9] };
    assert.equal(await kindOf({ ...evidence(rendered), ruled: 0.7, axes: 0.65 }, numbers), 'chart');
    assert.equal(await kindOf({ ...evidence(rendered), ruled: 0.87, axes: 0.1 }, numbers), 'document');
    assert.equal(await kindOf({ ...evidence(rendered), ruled: 0.99, axes: 0.9 }, numbers), 'document');
  });
  it('when the tree decides, then it asks for the panel and the ruled line only where a branch weighs them', async () => {
    const asked: string[] = [];
    const watched = (answers: Answers): Answers => ({
      ...answers,
      get panel() {
        asked.push('panel');
        return undefined;
      },
      get ruled() {
        asked.push('ruled');
        return 0;
      },
    });
    const paper = { ...camera, white: 0.5, gradual: 0.2, exact: 0.55 };
    const oneLine = { lines: 1, coverage: 0.001, lefts: [0.8], middles: [0.95] };
    const twoLines = { lines: 2, coverage: 0.01, lefts: [0.1, 0.1], middles: [0.9, 0.95] };
    await kindOf(watched(evidence(rendered)), oneLine);
    await kindOf(watched(evidence(camera)), oneLine);
    assert.deepEqual(asked, [], 'a rendered image is never measured for either; one line cannot fill a panel');
    await kindOf(watched(evidence(camera)), twoLines);
    assert.deepEqual(asked, ['panel']);
    await kindOf(watched(evidence(paper)), oneLine);
    assert.deepEqual(asked, ['panel', 'ruled']);
  });
  it('when an axis is drawn one or two pixels wide, then ruledLine measures its length; a soft edge is no rule', () => {
    const [width, height] = [100, 80];
    const data = Buffer.alloc(width * height * 3, 250);
    for (let y = 10; y < 70; y += 1) data.fill(30, (y * width + 20) * 3, (y * width + 21) * 3); // 1 px wide, 60 of 80 rows
    assert.ok(Math.abs(ruledLine({ data, width, height, format: 'png' }) - 0.75) < 0.02);
    for (let x = 5; x < 95; x += 1) data.fill(30, (60 * width + x) * 3, (60 * width + x + 1) * 3);
    for (let x = 5; x < 95; x += 1) data.fill(30, (61 * width + x) * 3, (61 * width + x + 1) * 3); // 2 px wide, 90 of 100 columns
    assert.ok(Math.abs(ruledLine({ data, width, height, format: 'png' }) - 0.9) < 0.02);
    const { across, down } = ruledLines({ data, width, height, format: 'png' });
    assert.ok(Math.abs(across - 0.9) < 0.02 && Math.abs(down - 0.75) < 0.02, `across ${across}, down ${down}`);
    const edge = Buffer.alloc(width * height * 3, 250);
    for (let y = 40; y < height; y += 1) edge.fill(30, y * width * 3, (y + 1) * width * 3); // a step, not a line
    assert.ok(ruledLine({ data: edge, width, height, format: 'png' }) < 0.05);
  });
  it('when the image is one flat colour, then its statistics say rendered', () => {
    const data = new Uint8Array(64 * 64 * 3).fill(200);
    assert.ok(looksRendered(imageStatistics({ data: Buffer.from(data), width: 64, height: 64, format: 'png' })));
  });
});
