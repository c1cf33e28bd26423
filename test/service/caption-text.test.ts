// /caption over HTTP with the real OCR bundles: text read from a screenshot, the kind leading the alt-text, and the
// request's switches (features=); OCR_MODE=off is in test/http/features-off.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, fixture, postImage } from '../support/service.js';
import { photo } from '../support/photos.js';

const TERMINAL = fixture('text-terminal-03.png');
const PHOTO = photo('chelsea.png');

async function caption(service: RunningServer, body: Buffer, query = ''): Promise<any> {
  const response = await postImage(service.url, body, 'image/png', query);
  const json = await response.json();
  assert.equal(response.status, 200, JSON.stringify(json));
  assertMatchesSpec('caption', json);
  return json;
}

describe('/caption reads text (default OCR_MODE=auto)', { timeout: 120_000 }, () => {
  let service: RunningServer;
  before(
    async () => {
      service = await boot({ MODERATION_ENABLED: 'false' });
    },
    { timeout: 300_000 },
  );
  after(() => service?.drain({ graceMs: 0 }), { timeout: 60_000 });

  it('when a terminal screenshot is sent, then its lines in reading order, the kind screenshot, and the alt-text quoting them', async () => {
    const result = await caption(service, TERMINAL);
    assert.equal(result.kind, 'screenshot');
    assert.equal(result.text.read, true);
    assert.deepEqual(
      result.text.lines.map((l: any) => l.text),
      ['$ git status', 'On branch main', 'nothing to commit, working tree clean'],
    );
    assert.equal(result.text.content, '$ git status\nOn branch main\nnothing to commit, working tree clean');
    assert.match(
      result.alt_text,
      /^A screenshot with text that says '\$ git status On branch main nothing to commit, working tree clean'\.$/,
    );
    assert.match(result.description, /working tree clean/);
    for (const line of result.text.lines) assert.ok(line.box.y >= 0 && line.box.y + line.box.height <= 1.0001 && line.score >= 0.5);
  });

  it('when a chart has axis labels set vertically both ways up, then each is read the right way up', async () => {
    // A y-axis label reads bottom to top, a label on the right often top to bottom; one fixed quarter turn read the first
    // upside down ("Fl dsity"), so a vertical region is read turned both ways and the surer reading is kept.
    const label = (x: number, turn: number, text: string) =>
      `<text transform="translate(${x} 240) rotate(${turn})" font-family="DejaVu Sans" font-size="22" text-anchor="middle">${text}</text>`;
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="white"/>' +
      '<text x="320" y="450" font-family="DejaVu Sans" font-size="22" text-anchor="middle">Wavelength in microns</text>' +
      `${label(40, -90, 'Flux density')}${label(600, 90, 'Sample quantiles')}` +
      '<path d="M80 60V400H560" stroke="black" stroke-width="2" fill="none"/></svg>';
    const result = await caption(service, await sharp(Buffer.from(svg)).png().toBuffer());
    assert.match(result.text.content, /Flux density/);
    assert.match(result.text.content, /Sample quantiles/);
  });

  it('when a screenshot is stored upside down, then its lines are read the right way up', async () => {
    // Read as stored, an upside-down line gives junk; a horizontal line the recogniser is unsure of is read a half turn
    // too and the surer reading kept (text-reader.ts, UPSIDE_DOWN_BELOW): the terminal's words, not invented ones.
    const result = await caption(service, await sharp(TERMINAL).rotate(180).png().toBuffer());
    assert.match(result.text.content, /git status/);
    assert.match(result.text.content, /nothing to commit, working tree clean/);
  });

  it("when a photo of a cat is sent, then the detector is sure of no text region: no text read (read: false) and the alt-text is the photo's", async () => {
    const result = await caption(service, PHOTO);
    assert.equal(result.kind, 'photo');
    assert.deepEqual(result.text, { ...result.text, read: false, content: '', lines: [] });
    assert.doesNotMatch(result.alt_text, /text/);
  });

  it('when features= (empty) is asked, then neither objects nor text, and features=objects keeps objects only', async () => {
    const bare = await caption(service, TERMINAL, '?features=');
    assert.equal(bare.text, undefined);
    assert.equal(bare.objects, undefined);
    const objects = await caption(service, TERMINAL, '?features=objects');
    assert.equal(objects.text, undefined);
    assert.ok(Array.isArray(objects.objects));
  });

  it('when features=text_always is asked, then a photo is read too', async () => {
    const result = await caption(service, PHOTO, '?features=objects,text_always');
    assert.equal(result.text.read, true);
  });

  it('when features names something unknown, then 400 problem+json', async () => {
    const response = await postImage(service.url, TERMINAL, 'image/png', '?features=colours');
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /problem\+json/);
  });
});
