import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FIXTURES, SKIMAGE, startService, type Service } from './service.js';

/** The installed bin's file: the compiled JavaScript (`npm test` builds it first). */
const BIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

const PHOTOS = [
  'astronaut.png',
  'brick.png',
  'camera.png',
  'cell.png',
  'chelsea.png',
  'clock_motion.png',
  'coffee.png',
  'coins.png',
  'color.png',
  'grass.png',
  'gravel.png',
  'horse.png',
  'ihc.png',
  'logo.png',
  'moon.png',
  'motorcycle_left.png',
  'motorcycle_right.png',
  'page.png',
  'text.png',
  'microaneurysms.png',
  'hubble_deep_field.jpg',
  'retina.jpg',
  'rocket.jpg',
].map((name) => `${SKIMAGE}/${name}`);
const FIXTURE_IMAGES = [
  'cat.jpg',
  'cat-cmyk.jpg',
  'cat-exif-rotated.jpg',
  'cat-then-red.gif',
  'coffee-alpha.png',
  'coffee.heif',
  'coffee.webp',
  'motorcycle.tiff',
  'rocket.avif',
  'camera-gray.png',
].map((name) => `${FIXTURES}/${name}`);
/** Files with an image's extension that are not images (or not whole ones), and the status each must get. */
const BAD: [string, string, number][] = [
  [`${FIXTURES}/note.txt`, 'inbox/note.jpg', 415],
  [`${FIXTURES}/document.pdf`, 'inbox/scan.png', 415],
  [`${FIXTURES}/random.bin`, 'inbox/random.jpg', 415],
  [`${FIXTURES}/external-url.svg`, 'inbox/drawing.png', 415],
  [`${FIXTURES}/cat-truncated.jpg`, '2024/05/cat-truncated.jpg', 422],
];

/** A folder of 50 images in nested folders: 45 real photos (33 distinct, 12 copies) and the 5 bad files, plus files to ignore. */
function makeArchive(root: string): void {
  const put = (source: string, path: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    copyFileSync(source, join(root, path));
  };
  PHOTOS.forEach((source) => put(source, `skimage/${source.split('/').at(-1)}`));
  FIXTURE_IMAGES.forEach((source) => put(source, `2024/05/${source.split('/').at(-1)}`));
  for (let i = 0; i < 12; i += 1) put(PHOTOS[i]!, `2024/06/copy-${String(i).padStart(2, '0')}${PHOTOS[i]!.slice(-4)}`);
  for (const [source, path] of BAD) put(source, path);
  put(`${FIXTURES}/note.txt`, 'README.txt');
  put(`${FIXTURES}/cat.jpg`, '.thumbnails/cat.jpg');
}

interface Run {
  code: number;
  stderr: string;
}

function runCli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 120_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr });
    });
  });
}

function readLines(file: string): any[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
}

let work: string;

describe('imgsense caption DIR against the real service', () => {
  let service: Service;
  const archive = () => join(work, 'archive');
  const out = () => join(work, 'captions.jsonl');

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'imgsense-cli-'));
    makeArchive(archive());
    service = await startService();
  });
  after(async () => {
    await service.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('when run on a folder of 50 images, then it writes 50 lines, the bad files as their problems, with progress and a summary', async () => {
    const run = await runCli([
      'caption',
      archive(),
      '--url',
      service.url,
      '--out',
      out(),
      '--concurrency',
      '4',
      '--progress-interval',
      '0.5',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const lines = readLines(out());
    assert.equal(lines.length, 50);
    assert.equal(new Set(lines.map((line) => line.path)).size, 50);
    assert.ok(!lines.some((line) => line.path.startsWith('.thumbnails/') || line.path === 'README.txt'));
    for (const [, path, status] of BAD) {
      const line = lines.find((candidate) => candidate.path === path);
      assert.equal(line?.problem?.status, status, `${path}: ${JSON.stringify(line)}`);
      assert.equal(line.caption, undefined);
    }
    const captioned = lines.filter((line) => line.caption);
    assert.equal(captioned.length, 45);
    for (const line of captioned) {
      assert.match(line.caption.alt_text, /^[A-Z].*\.$/s, line.path); // text read from the image, quoted, may hold full stops
      assert.match(line.sha256, /^[0-9a-f]{64}$/);
      assert.equal(line.size, readFileSync(join(archive(), line.path)).length);
    }
    assert.match(lines.find((line) => line.path === 'skimage/chelsea.png').caption.alt_text, /cat/);
    assert.match(
      run.stderr,
      /^imgsense: \d+\/50 \(\d+ %\), \d+ failed, [\d.]+ images\/s$/m,
      'a progress line when stderr is not a terminal',
    );
    assert.match(run.stderr, /^imgsense: 50 images: 45 done, 5 refused, 0 skipped, 0 failed, 0 retries in [\d.]+ s \([\d.]+ images\/s\)$/m);
  });

  it('when run again on the same output, then it skips every image and writes nothing', async () => {
    const before = readFileSync(out(), 'utf8');
    const run = await runCli(['caption', archive(), '--url', service.url, '--out', out()]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^imgsense: 50 images: 0 done, 0 refused, 50 skipped, 0 failed, 0 retries in /m);
    assert.equal(readFileSync(out(), 'utf8'), before);
  });

  it('when a run was cut off mid-line, then the next run does the rest and the torn line is left behind', async () => {
    const partial = join(work, 'partial.jsonl');
    const text = readFileSync(out(), 'utf8').split('\n').slice(0, 45);
    writeFileSync(partial, `${text.join('\n')}\n${'{"path":"skimage/tor'}`);
    const run = await runCli(['caption', archive(), '--url', service.url, '--out', partial, '--concurrency', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /50 images: \d+ done, \d+ refused, 45 skipped, 0 failed/);
    const lines = readLines(partial);
    assert.equal(lines.length, 50);
    assert.equal(new Set(lines.map((line) => line.path)).size, 50);
  });

  it('when interrupted with Ctrl+C, then the images in flight are written, the summary printed, and the exit status is 130', async () => {
    const interrupted = join(work, 'interrupted.jsonl');
    const child = spawn(process.execPath, [
      BIN,
      'caption',
      archive(),
      '--url',
      service.url,
      '--out',
      interrupted,
      '--concurrency',
      '2',
      '--progress-interval',
      '0.1',
    ]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/^imgsense: \d+\/50/m.test(stderr) && child.exitCode === null && !child.killed) child.kill('SIGINT');
    });
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 130, stderr);
    assert.match(stderr, /stopping after the images in flight/);
    const summary = /50 images: (\d+) done, (\d+) refused, 0 skipped, 0 failed/.exec(stderr);
    assert.ok(summary, stderr);
    const written = readLines(interrupted).length;
    assert.equal(written, Number(summary[1]) + Number(summary[2]), 'every image started was written');
    assert.ok(written >= 1 && written < 50, `${written} lines`);
  });

  it('when --lang fr --features objects are given, then the captions are French and no text is read', async () => {
    const small = join(work, 'lang');
    mkdirSync(small);
    for (const name of ['cat.jpg', 'coffee.webp']) copyFileSync(`${FIXTURES}/${name}`, join(small, name));
    const output = join(work, 'lang.jsonl');
    const run = await runCli(['caption', small, '--url', service.url, '--out', output, '--lang', 'fr', '--features', 'objects']);
    assert.equal(run.code, 0, run.stderr);
    const lines = readLines(output);
    assert.equal(lines.length, 2);
    for (const line of lines) {
      assert.equal(line.caption.lang, 'fr', line.path);
      assert.equal(line.caption.text, undefined, `${line.path}: OCR was turned off`);
    }
    const bad = await runCli(['caption', small, '--url', service.url, '--out', output, '--features', 'objects,faces']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--features takes objects, text, text_always; got faces/);
  });

  it('when imgsense moderate DIR --categories is run, then each image gets its moderation, and a bad file is refused, not failed', async () => {
    const small = join(work, 'moderate');
    mkdirSync(small);
    copyFileSync(`${FIXTURES}/cat.jpg`, join(small, 'cat.jpg'));
    copyFileSync(`${FIXTURES}/document.pdf`, join(small, 'scan.png'));
    const output = join(work, 'moderation.jsonl');
    const run = await runCli(['moderate', small, '--url', service.url, '--out', output, '--categories', 'weapons,alcohol']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^imgsense: 2 images: 1 done, 1 refused, 0 skipped, 0 failed, 0 retries in /m);
    const lines = readLines(output);
    const cat = lines.find((line) => line.path === 'cat.jpg');
    assert.deepEqual(cat.moderation.categories.map((category: { id: string }) => category.id).sort(), ['alcohol', 'weapons']);
    assert.equal(cat.moderation.flagged, false);
    assert.equal(lines.find((line) => line.path === 'scan.png').problem.status, 415);
    const again = await runCli(['moderate', small, '--url', service.url, '--out', output]);
    assert.match(again.stderr, /2 images: 0 done, 0 refused, 2 skipped, 0 failed/);
  });

  it('when the service is not reachable, then every image is recorded with its error and the exit status is 1', async () => {
    const small = join(work, 'small');
    mkdirSync(small);
    copyFileSync(`${FIXTURES}/cat.jpg`, join(small, 'cat.jpg'));
    const unreachable = join(work, 'unreachable.jsonl');
    const run = await runCli(['caption', small, '--url', 'http://127.0.0.1:9', '--out', unreachable, '--retries', '1']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /1 images: 0 done, 0 refused, 0 skipped, 1 failed, 1 retries/);
    const [line] = readLines(unreachable);
    assert.match(line.error, /fetch failed/);
  });
});

describe('imgsense caption DIR against a service at capacity', () => {
  let busy: Service;
  before(async () => {
    busy = await startService({ MAX_INFLIGHT_REQUESTS: '1', MODERATION_ENABLED: 'false', DETECTOR_ENABLED: 'false', OCR_MODE: 'off' });
  });
  after(() => busy.stop());

  it('when the service answers 503 with Retry-After, then the images are retried until every one is captioned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imgsense-cli-busy-'));
    try {
      for (let i = 0; i < 8; i += 1) copyFileSync(`${SKIMAGE}/chelsea.png`, join(dir, `cat-${i}.png`));
      const output = join(dir, 'out.jsonl');
      const run = await runCli(['caption', dir, '--url', busy.url, '--out', output, '--concurrency', '4']);
      assert.equal(run.code, 0, run.stderr);
      const summary = /8 images: 8 done, 0 refused, 0 skipped, 0 failed, (\d+) retries/.exec(run.stderr);
      assert.ok(summary, run.stderr);
      assert.ok(Number(summary[1]) > 0, 'some requests were refused with 503 and retried');
      assert.equal(readLines(output).filter((line) => line.caption).length, 8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
